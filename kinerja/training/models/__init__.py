"""Leadership development and training: programmes, events, the timetable, enrolments and
attendance (this package), and each later capability in a module of its own."""

from .action_plans import ActionPlan, ActionPlanLink, FollowUpReview, Milestone  # noqa: F401
from .actionplans import LeadershipSeminar, ProgressUpdate  # noqa: F401
from .assessments import Assessment  # noqa: F401
from .attendance import AttendanceScan, ScanDirection, ScanMethod, ScanOutcome  # noqa: F401
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
from .feedback import (  # noqa: F401
    FeedbackForm,
    FeedbackFormKind,
    FeedbackFormStatus,
    FeedbackReceipt,
    FeedbackResponse,
    Moderation,
)
from .ledger import DevelopmentRecord  # noqa: F401
from .nominations import CompetencyGap, GapSource  # noqa: F401
from .notices import TrainingNotice  # noqa: F401
from .participants import Attendance, Participant  # noqa: F401
from .reference import Competency, TrainingType  # noqa: F401
