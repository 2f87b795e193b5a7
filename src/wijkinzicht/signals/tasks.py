"""Background jobs of the signals module (run by `wijkinzicht worker`, core/jobs.py)."""

from django.utils.translation import gettext as _

from wijkinzicht.core.jobs import job


def _lost(args: list, kwargs: dict) -> None:
    """The training was given up after several lost workers: the version says so."""
    from .models import ClassifierVersion

    ClassifierVersion.objects.filter(pk=kwargs["version_id"]).exclude(status="ready").update(
        status=ClassifierVersion.Status.FAILED,
        error=_("the training was interrupted several times (the worker stopped); start it again"),
    )


@job(on_lost=_lost)
def train_classifier(*, version_id: int) -> str:
    """Train one classifier version (see services.classifier_train)."""
    from .models import ClassifierVersion
    from .services import classifier_train

    version = ClassifierVersion.objects.get(pk=version_id)
    if version.status == ClassifierVersion.Status.READY:
        return version.status
    return classifier_train(version).status
