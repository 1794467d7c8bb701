"""What a question must hold to be converted: the sh:Violation rules that its record alone decides.

A question that breaks one is rejected with the reason, rather than converted into a graph that
`kg validate` would refuse.
"""

from __future__ import annotations

from ..errors import RecordError
from ..mapping import status_of
from ..model import Question

__all__ = ["checked"]


def checked(question: Question) -> Question:
    """The question itself if it keeps the contract; else a RecordError saying what it breaks."""
    if question.number < 1 or question.legislature < 1:
        raise RecordError(f"number {question.number}, legislature {question.legislature}: both start at 1")
    if question.author is None:
        raise RecordError("question without author")
    if question.published is None:
        raise RecordError("question without any date")
    asked, closure = question.published, question.closure
    for answer in question.answers:
        if answer.published and answer.published < asked:
            raise RecordError(f"answer published on {answer.published}, before the question ({asked})")
    if closure is not None and closure.on and closure.on < asked:
        raise RecordError(f"closed on {closure.on}, before the question was published ({asked})")
    status = status_of(question)
    if status == "answered" and not question.answers:
        raise RecordError("closed as answered, without an answer")
    if status in ("withdrawn", "lapsed") and (closure is None or closure.on is None):
        raise RecordError(f"closed as {status}, without a date")
    return question
