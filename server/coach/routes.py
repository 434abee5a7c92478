"""`POST /v1/coach`: a question in, a grounded answer with its citations out."""

from __future__ import annotations

from litestar import get, post
from litestar.status_codes import HTTP_200_OK

from models.coach import CoachIn, CoachOut, ConversationOut
from server.auth import CurrentUser
from server.coach.conversations import conversation_out, require_conversation
from server.errors import BadInput
from server.services import Services

__all__ = ["ask_coach", "coach_conversation"]


@post(
    "/v1/coach", status_code=HTTP_200_OK, tags=["coach"], summary="Ask the coach; the answer cites its chunks"
)
async def ask_coach(data: CoachIn, user: CurrentUser, services: Services) -> CoachOut:
    if not data.question.strip():
        raise BadInput("question is empty", code="empty_question")
    coach = services.coach
    if coach is None:  # services built without one (a benchmark or test wiring): still one clear answer
        raise BadInput("the coach is not available on this server", code="coach_unavailable")
    return await coach.ask(user.id, data.question.strip(), data.conversation_id)


@get("/v1/coach/conversations/{conversation_id:str}", tags=["coach"], summary="A conversation with the coach")
async def coach_conversation(conversation_id: str, user: CurrentUser, services: Services) -> ConversationOut:
    async with services.sessionmaker() as session:
        return await conversation_out(session, await require_conversation(session, user.id, conversation_id))
