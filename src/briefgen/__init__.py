"""briefgen: YAML content + Jinja templates + matplotlib charts → PDF and Word publications."""

__version__ = "0.1.0"
