"""Named failures of the domain. Pages turn them into messages at the field; the CLI into exit 2."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    ``path`` names the field the way users and other tools write it (``outcomes[0].effect``;
    empty for the input as a whole). ``message`` is already in the user's language. ``code``
    is a stable machine-readable reason, for tests and for tools that read the CLI's output.
    """

    path: str
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(ValueError):
    """Input that the engine refuses, with every problem found (not only the first)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def at(self, path: str) -> list[Problem]:
        """The problems at ``path`` or below it (``outcomes[0]`` also matches ``outcomes[0].effect``)."""
        return [
            p for p in self.problems
            if p.path == path or p.path.startswith(path + ".") or p.path.startswith(path + "[")
        ]


class ScenarioError(InputError):
    """A scenario file or edit that does not follow format v1."""
