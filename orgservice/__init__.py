"""The orgservice Django project."""
