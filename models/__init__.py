"""SQLModel tables and the queries over them; the engine and session.

Importing this package registers every table on ``SQLModel.metadata`` (Alembic
and the tests rely on that).
"""
from models.db import UTCDateTime, database_ok, make_engine, session_scope, utcnow
from models.org import (
    ChatGroup,
    ClosedDay,
    Officer,
    Organisation,
    RegistrationCode,
    RegistrationLock,
    Role,
    Unit,
    UnitAlias,
)
from models.plan import Assignment, Cadence, Measure, MeasureUnit
from models.reports import Conversation, Evidence, ReportVersion, StatusReport
from models.schedule import DeliveryPause, OutboxKind, OutboxMessage, OutboxStatus, Schedule
from models.webhook_event import EventStatus, WebhookEvent

__all__ = [
    "Assignment", "Cadence", "ChatGroup", "ClosedDay", "Conversation", "DeliveryPause", "EventStatus",
    "OutboxKind", "OutboxMessage", "OutboxStatus", "Schedule",
    "Evidence", "Measure", "MeasureUnit", "Officer", "Organisation", "RegistrationCode",
    "RegistrationLock", "ReportVersion", "Role", "StatusReport", "UTCDateTime", "Unit",
    "UnitAlias", "WebhookEvent", "database_ok", "make_engine", "session_scope", "utcnow",
]
from models.console import AuditEntry, ConsoleSession, ConsoleSignIn  # noqa: E402,F401  (the console's tables)
from models.scores import *  # noqa: E402,F401,F403
