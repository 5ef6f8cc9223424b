"""motcua — electronic one-stop shop (một cửa điện tử) for Vietnamese local government."""

__version__ = "0.1.0"
