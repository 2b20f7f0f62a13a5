"""What the warning part of the analytics app offers the shared pages (navigation, home cards)."""


def register() -> None:
    """Register the warning navigation entries."""
