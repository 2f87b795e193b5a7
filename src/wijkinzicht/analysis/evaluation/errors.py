"""The one error the engine raises for input the user must fix."""


class EvaluationError(ValueError):
    """A problem with the input that the user must fix; the message says what and where."""
