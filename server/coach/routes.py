"""`POST /v1/coach`: a question in, a grounded answer with its citations out."""

from __future__ import annotations

from litestar import post
from litestar.status_codes import HTTP_200_OK

from models.coach import CoachIn, CoachOut
from server.auth import CurrentUser
from server.errors import BadInput
from server.services import Services

__all__ = ["ask_coach"]


@post(
    "/v1/coach", status_code=HTTP_200_OK, tags=["coach"], summary="Ask the coach; the answer cites its chunks"
)
async def ask_coach(data: CoachIn, user: CurrentUser, services: Services) -> CoachOut:
    if not data.question.strip():
        raise BadInput("question is empty", code="empty_question")
    coach = services.coach
    if coach is None:  # services built without one (a benchmark or test wiring): still one clear answer
        raise BadInput("the coach is not available on this server", code="coach_unavailable")
    return await coach.ask(user.id, data.question.strip())
