"""What the regional app offers the shared pages: navigation entries, demo steps, importers."""


def register() -> None:
    """Register the app's navigation entries, demo step and importers."""
