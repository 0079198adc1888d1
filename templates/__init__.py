"""plangen's built-in templates, installed with the package as plangen.templates."""
