"""Django's messages (a cookie, then the session), keeping only the latest few.

Messages wait for the next page. A client that posts again and again without loading one
(no JavaScript, or a script) would add to them with each post, and past the cookie's 2 KB they
go into the session row: every stored object here has a limit, so this one has too.
"""

from django.contrib.messages.storage.fallback import FallbackStorage

# More than a page shows at once; the oldest go first.
MAX_WAITING_MESSAGES = 20


class LatestMessagesStorage(FallbackStorage):
    def _store(self, messages, response, *args, **kwargs):
        return super()._store(messages[-MAX_WAITING_MESSAGES:], response, *args, **kwargs)
