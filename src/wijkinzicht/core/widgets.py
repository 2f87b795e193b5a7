"""Form widgets shared by the apps."""

from django import forms


class DateInput(forms.DateInput):
    """An HTML date input. Its value is always ISO 8601 (yyyy-mm-dd), whatever the language: a
    browser ignores any other value ("23-11-2026" in Dutch) and shows an empty field, which an edit
    form would then save as an empty date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
