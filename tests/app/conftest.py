"""Fixtures of the app and system suite."""

from gittools import git_env

__all__ = ["git_env"]  # a fixture for every test here that runs the `git` program
