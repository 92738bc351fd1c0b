"""Where the organisations in a workshop disagree on the instrument questionnaire.

Every participant answers the questionnaire of :mod:`engine.questionnaire.scoring` on their own,
for the role they take part in (see :mod:`engine.workshop.roles`). The input of every function here
is one ``(role, answers)`` pair per participant, the answers as ``parse_answers`` returns them:
``{question id: option id}`` for a choice question, ``{question id: number}`` for a number question,
an unanswered question left out (or ``None``). Ids of questions the questionnaire does not have
are ignored. A number is counted by the band it falls in, as the scoring does.

**Disagreement, 0..1.** For one question, each role's answers are turned into shares (kommun: two
of three said ``a``, one said ``b``). Two roles differ by the total variation distance between
their shares: half the sum, over the options, of the difference in share, which is 0 when they
answer alike and 1 when no option is given by both. A question's disagreement is the mean of that
distance over every pair of roles that answered it. With fewer than two roles answering there is no
pair to compare, so there is no disagreement to measure: it is ``None``, never 0, because 0 would
read as agreement. Roles count alike however many people speak for them, so a large delegation does
not outweigh a small one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from engine.questionnaire.scoring import Questionnaire, load_questionnaire, score_instruments
from engine.workshop.roles import ROLES

#: One participant: the role they speak for and their answers ``{question id: option id or number}``.
Participant = tuple[str, Mapping[str, str | float]]


@dataclass(frozen=True)
class QuestionSpread:
    """How a workshop answered one question.

    ``by_role`` maps each role with at least one answer to the count of each option given (options
    nobody in the role chose are left out); ``overall`` counts over all participants; ``answered``
    is how many participants answered the question. Options are option ids (for a number question
    its band ids), listed in the question's order; roles are listed in the order of ``ROLES``, any
    other role name after them in alphabetical order. ``disagreement`` is 0..1 (see the module's
    docstring), or ``None`` when fewer than two roles answered the question.
    """

    question: str
    by_role: dict[str, dict[str, int]]
    overall: dict[str, int]
    answered: int
    disagreement: float | None

    @property
    def measurable(self) -> bool:
        """Whether at least two roles answered, so that they can be compared at all."""
        return self.disagreement is not None


def role_disagreement(by_role: Mapping[str, Mapping[str, int]]) -> float | None:
    """The mean total variation distance, 0..1, between the answer shares of every pair of roles.

    ``by_role`` maps a role to its count of each option; a role without any answer is skipped.
    0 means every role answers alike, 1 that no two roles give any option in common; with fewer
    than two roles answering it is ``None`` (one role cannot disagree with itself, nor agree with
    anyone: there is nothing to measure). The figure is computed exactly and rounded once, so those
    ends come out as exactly 0.0 and 1.0.

    >>> role_disagreement({"kommun": {"a": 3}, "region": {"b": 2}})
    1.0
    >>> role_disagreement({"kommun": {"a": 2}, "region": {"a": 1, "b": 1}})
    0.5
    >>> role_disagreement({"kommun": {"a": 1, "b": 1}, "region": {"a": 2, "b": 2}})
    0.0
    >>> role_disagreement({"kommun": {"a": 4}}) is None
    True

    With three roles the pairs count alike: kommun/region 1, kommun/staten 0, region/staten 1.

    >>> round(role_disagreement({"kommun": {"a": 1}, "region": {"b": 1}, "staten": {"a": 5}}), 4)
    0.6667
    """
    counts = [{o: c for o, c in options.items() if c > 0} for options in by_role.values()]
    counts = [c for c in counts if c]
    if len(counts) < 2:
        return None
    total = Fraction(0)
    for first, second in combinations(counts, 2):
        n_first, n_second = sum(first.values()), sum(second.values())
        # 1/2 * sum |c1/n1 - c2/n2|, kept in integers: sum |c1*n2 - c2*n1| / (2*n1*n2).
        gap = sum(abs(first.get(o, 0) * n_second - second.get(o, 0) * n_first) for o in first.keys() | second.keys())
        total += Fraction(gap, 2 * n_first * n_second)
    pairs = len(counts) * (len(counts) - 1) // 2
    return float(total / pairs)


def spreads(answers: Sequence[Participant], questionnaire: Questionnaire | None = None) -> list[QuestionSpread]:
    """One :class:`QuestionSpread` per question of the questionnaire, the most disputed first.

    The questions at least two roles answered come first, by disagreement; then those only one
    role answered, then those nobody answered: neither has a disagreement to rank by. Within each,
    equal ones keep the questionnaire's order (here ``time_to_effect_years`` is asked before
    ``risk_transfer``). ``questionnaire`` defaults to ``load_questionnaire()``.

    >>> workshop = [("kommun", {"risk_transfer": "wanted", "time_to_effect_years": 1.5}),
    ...             ("region", {"risk_transfer": "not_wanted", "time_to_effect_years": 1}),
    ...             ("region", {"risk_transfer": "wanted", "time_to_effect_years": 6})]
    >>> top = spreads(workshop)[:3]
    >>> [(s.question, s.disagreement) for s in top]
    [('time_to_effect_years', 0.5), ('risk_transfer', 0.5), ('purpose', None)]
    >>> top[0].by_role, top[0].overall, top[0].answered
    ({'kommun': {'short': 1}, 'region': {'short': 1, 'long': 1}}, {'short': 2, 'long': 1}, 3)
    >>> top[2].by_role, top[2].answered
    ({}, 0)

    A question only the kommun answered is not agreement: it has no disagreement and comes after
    every question two roles answered, even one they answered alike.

    >>> ranked = spreads([("kommun", {"purpose": "test_new_method", "risk_transfer": "wanted"}),
    ...                   ("region", {"risk_transfer": "wanted"})])
    >>> [(s.question, s.disagreement) for s in ranked[:2]]
    [('risk_transfer', 0.0), ('purpose', None)]
    """
    q = load_questionnaire() if questionnaire is None else questionnaire
    chosen = [(role, _options(given, q)) for role, given in answers]
    rank = {role: i for i, role in enumerate(ROLES)}
    roles = sorted({role for role, _ in chosen}, key=lambda r: (r not in rank, rank.get(r, 0), r))
    result = []
    for question in q.questions:
        counted = {role: Counter[str]() for role in roles}
        for role, options in chosen:
            if question.id in options:
                counted[role][options[question.id]] += 1
        by_role = {role: _in_order(c, question.options) for role, c in counted.items() if c}
        overall = _in_order(sum(counted.values(), Counter[str]()), question.options)
        result.append(QuestionSpread(question.id, by_role, overall, sum(overall.values()), role_disagreement(by_role)))
    # Stable: equal ones stay in questionnaire order.
    result.sort(key=lambda s: (0, -s.disagreement) if s.disagreement is not None else (1 if s.answered else 2, 0.0))
    return result


def group_answers(answers: Sequence[Participant], questionnaire: Questionnaire | None = None) -> dict[str, str | float]:
    """The workshop's answers as one answer set, ready for ``recommend``.

    A choice question gets the option most participants gave; when two or more options share the
    highest count the group has not settled it, and the question is left out. A number question
    gets the median of the numbers given (the mean of the two middle ones for an even count), in
    the question's unit. Roles play no part here: every participant counts once. Questions come in
    the questionnaire's order; ``questionnaire`` defaults to ``load_questionnaire()``.

    >>> group_answers([("kommun", {"risk_transfer": "wanted", "own_funds": "none", "timeline_months": 6}),
    ...                ("region", {"risk_transfer": "wanted", "own_funds": "set_aside", "timeline_months": 9}),
    ...                ("staten", {"risk_transfer": "neutral", "timeline_months": 24})])
    {'risk_transfer': 'wanted', 'timeline_months': 9.0}
    """
    q = load_questionnaire() if questionnaire is None else questionnaire
    group: dict[str, str | float] = {}
    for question in q.questions:
        given = [a[question.id] for _, a in answers if a.get(question.id) is not None]
        if not given:
            continue
        if question.kind == "number":
            numbers = sorted(float(v) for v in given)
            middle = len(numbers) // 2
            group[question.id] = numbers[middle] if len(numbers) % 2 else (numbers[middle - 1] + numbers[middle]) / 2
            continue
        ranked = Counter(str(v) for v in given).most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            group[question.id] = ranked[0][0]
    return group


def first_choices(answers: Sequence[Participant]) -> dict[str, int]:
    """How many participants have each instrument as their first choice, on their own answers.

    Only participants who answered at least one question count (with nothing answered every
    instrument scores 50 and the first place says nothing). The first choice is the one
    ``recommend(...).first`` reports, taken from ``score_instruments`` alone (the stability and
    the what-would-change search of ``recommend`` are not needed for it). Instruments nobody put
    first are left out; the most frequent come first, equal counts in the catalogue's order.

    >>> first_choices([("kommun", {"purpose": "test_new_method", "risk_transfer": "wanted"}),
    ...                ("region", {"purpose": "test_new_method", "risk_transfer": "wanted"}),
    ...                ("staten", {}),
    ...                ("utforare", {"purpose": "buy_known_service", "risk_transfer": "not_wanted"})])
    {'social_outcomes_contract': 2, 'traditional_procurement': 1}
    """
    q = load_questionnaire()
    counts: Counter[str] = Counter()
    for _, given in answers:
        if _options(given, q):
            counts[score_instruments(given)[0].instrument] += 1
    order = {instrument: i for i, instrument in enumerate(q.instruments)}
    return dict(sorted(counts.items(), key=lambda item: (-item[1], order.get(item[0], len(order)))))


def _options(given: Mapping[str, str | float], q: Questionnaire) -> dict[str, str]:
    """A participant's answered questions as option ids (a number becomes its band, which may
    depend on the participant's other answers)."""
    options: dict[str, str] = {}
    for question in q.questions:
        value = given.get(question.id)
        if value is not None:
            options[question.id] = question.band_of(float(value), given) if question.kind == "number" else str(value)
    return options


def _in_order(counts: Mapping[str, int], options: Sequence[str]) -> dict[str, int]:
    """The non-zero counts in the question's option order (any option the question lacks last)."""
    ordered = {o: counts[o] for o in options if counts.get(o, 0) > 0}
    ordered.update({o: c for o, c in sorted(counts.items()) if o not in ordered and c > 0})
    return ordered
