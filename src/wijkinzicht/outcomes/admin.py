"""Admin: custom Likert questionnaires are defined here by an administrator; the definition is
checked with the same code that scores it, so a questionnaire that cannot be scored is refused."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wijkinzicht.analysis.instruments import DefinitionError

from .instruments import likert_scale
from .models import Programme, Questionnaire


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["organisation", "name", "definition"]

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        if not isinstance(definition, dict):
            raise forms.ValidationError(_("The definition is a JSON object."))
        try:
            likert_scale(definition)
        except DefinitionError as exc:
            raise forms.ValidationError(str(exc)) from None
        return definition


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    form = QuestionnaireForm
    list_display = ["name", "organisation"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "start_date", "end_date"]
