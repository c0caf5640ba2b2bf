"""gradscape web server: a thin FastAPI layer over the `core` autodiff/optimizer package."""
