"""Leadership development and training: programmes, events, the timetable, enrolments and
attendance (this package), and each later capability in a module of its own."""

from .action_plans import ActionPlan, ActionPlanLink, FollowUpReview, Milestone  # noqa: F401
from .assessments import Assessment  # noqa: F401
from .certificates import (  # noqa: F401
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateStatus,
    RevocationReason,
)
from .events import (  # noqa: F401
    JP_MINUTES,
    Event,
    EventQuota,
    Programme,
    Session,
    SessionMaterial,
    SessionSpeaker,
    Speaker,
    TimetableVersion,
)
from .participants import Attendance, Participant  # noqa: F401
from .reference import Competency, TrainingType  # noqa: F401
