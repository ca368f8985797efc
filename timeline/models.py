"""No models: the project's app keeps no tables of its own.

The module exists because Django sends `post_migrate` only to apps that have one, and
timeline/apps.py creates the database cache's table on `post_migrate`.
"""
