"""Odd input on the classroom pages: what reaches the database is only what a code can be."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/classrooms/{code}/", "/classrooms/{code}/qr.svg", "/classrooms/{code}/results.json"]
)
@pytest.mark.parametrize("odd", ["%00{code}", "{code}%00"])
def test_a_nul_byte_in_a_code_never_reaches_the_database(instructor_client, classroom, path, odd):
    """PostgreSQL refuses text with a NUL byte (an error, so a 500): a code in a URL keeps only
    its letters and digits, as a typed one does."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.extend(str(param) for param in params or ())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = instructor_client.get(path.format(code=odd.format(code=classroom.code)))
    assert sent and not any("\x00" in param for param in sent)
    assert response.status_code == 200
