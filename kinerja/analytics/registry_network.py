"""What the network part of the analytics app offers the shared pages (navigation)."""


def register() -> None:
    """Register the network navigation entries."""
