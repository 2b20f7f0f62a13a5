"""The regional app's importers (registered when the app is ready)."""
