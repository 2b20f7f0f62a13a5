"""What the health part of the analytics app offers the shared pages (navigation, home cards)."""


def register() -> None:
    """Register the health navigation entries."""
