"""What the reports part of the analytics app offers the shared pages (navigation)."""


def register() -> None:
    """Register the reports navigation entries."""
