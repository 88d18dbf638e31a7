"""Forms of the classroom pages: what an instructor and a learner may type, and its limits."""

from django import forms

from classrooms import agenda
from classrooms.models import NAME_LENGTH


class NewClassroomForm(forms.Form):
    title = forms.CharField(max_length=120)
    minutes = forms.IntegerField(
        min_value=10, max_value=7 * 24 * 60, initial=180, label="Length in minutes"
    )
    max_learners = forms.IntegerField(min_value=1, max_value=1000, initial=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items: list[dict] = []

    def clean(self):
        cleaned = super().clean()
        data = self.data
        chosen = []
        picked = set(data.getlist("items")) if hasattr(data, "getlist") else set()
        for row in agenda.choices():
            lesson, exercise = row["lesson"], row["exercise"]
            raw = (data.get(f"order-{lesson.slug}") or "").strip()
            position = None
            if raw:
                try:
                    position = int(raw)
                except ValueError:
                    self.add_error(None, f"The position of “{lesson.title}” must be a number.")
                    continue
            if f"lesson:{lesson.slug}" in picked:
                chosen.append((position, agenda.LESSON, lesson.slug))
            if exercise is not None and f"exercise:{exercise.slug}" in picked:
                chosen.append((position, agenda.EXERCISE, exercise.slug))
            chosen += [
                (position, agenda.DRILL, drill.slug)
                for drill in row["drills"]
                if f"drill:{drill.slug}" in picked
            ]
        self.items = agenda.ordered(chosen)
        if not self.items:
            self.add_error(None, "Pick at least one lesson, exercise or drill.")
        return cleaned


class JoinForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Join code",
        error_messages={
            "required": "Enter the join code your instructor gave you.",
            "max_length": "A join code has six letters and digits.",
        },
    )
    name = forms.CharField(
        max_length=NAME_LENGTH * 2,
        label="Your name",
        error_messages={
            "required": "Enter the name your instructor will see.",
            "max_length": f"Keep your name to {NAME_LENGTH} characters or fewer.",
        },
    )
    pin = forms.CharField(max_length=12, required=False, label="Rejoin PIN")


class HandForm(forms.Form):
    message = forms.CharField(max_length=200, required=False)


class MessageForm(forms.Form):
    text = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ThresholdsForm(forms.Form):
    stuck_minutes = forms.IntegerField(min_value=1, max_value=240)
    same_error_minutes = forms.IntegerField(min_value=1, max_value=240)
    same_error_edits = forms.IntegerField(min_value=1, max_value=1000)
    idle_minutes = forms.IntegerField(min_value=1, max_value=240)


class PlacesForm(forms.Form):
    max_learners = forms.IntegerField(min_value=1, max_value=1000)


class ExtendForm(forms.Form):
    minutes = forms.IntegerField(min_value=1, max_value=24 * 60, initial=30)
