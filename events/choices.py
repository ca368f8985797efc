"""The fixed vocabularies of the timeline: kinds, types, roles, statuses and precisions.

Values are stable API strings (lowercase, underscores); labels are for people.
"""

from django.db import models


class DatePrecision(models.TextChoices):
    """How exactly a fuzzy date is known; the same values as `events.dates.Precision`."""

    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class ActorKind(models.TextChoices):
    """What sort of participant an actor is."""

    PERSON = "person", "Person"
    STATE = "state", "State"
    GOVERNMENT_BODY = "government_body", "Government body"
    ORGANISATION = "organisation", "Organisation"
    ARMED_GROUP = "armed_group", "Armed group"
    INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"


class EventType(models.TextChoices):
    """What sort of thing happened."""

    TALKS = "talks", "Talks"
    NEGOTIATION_ROUND = "negotiation_round", "Negotiation round"
    CEASEFIRE = "ceasefire", "Ceasefire"
    AGREEMENT = "agreement", "Agreement"
    MILITARY_ACTION = "military_action", "Military action"
    MILITARY_INTERVENTION = "military_intervention", "Military intervention"
    TERRITORIAL_CHANGE = "territorial_change", "Territorial change"
    INTERVIEW = "interview", "Interview"
    ELECTION = "election", "Election"
    OTHER = "other", "Other"


class ParticipantRole(models.TextChoices):
    """The part an actor played in an event."""

    HOST = "host", "Host"
    GUEST = "guest", "Guest"
    BROKER = "broker", "Broker"
    PARTY = "party", "Party"
    MEDIATOR = "mediator", "Mediator"
    BACKER = "backer", "Backer"
    TARGET = "target", "Target"
    PARTICIPANT = "participant", "Participant"
    INTERVIEWER = "interviewer", "Interviewer"
    INTERVIEWEE = "interviewee", "Interviewee"


class StatementKind(models.TextChoices):
    """Whether a statement's words are the speaker's own or the source's report of them."""

    QUOTE = "quote", "Verbatim quote"
    PARAPHRASE = "paraphrase", "Paraphrase"


class ReviewStatus(models.TextChoices):
    """Where a record is in editorial review; only published records are public."""

    DRAFT = "draft", "Draft"
    REVIEWED = "reviewed", "Reviewed"
    PUBLISHED = "published", "Published"


class ProposalKind(models.TextChoices):
    """What an intake proposal would become once accepted (`events.intake.review`)."""

    ACTOR = "actor", "New actor"
    STATEMENT = "statement", "Statement"
    EVENT = "event", "Event"


class ProposalState(models.TextChoices):
    """Where an intake proposal is in review: waiting, turned into a draft record, or refused."""

    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class MergeJobState(models.TextChoices):
    """Where a merge too large for a request is (events.merge_jobs): waiting or being run
    (the admin tells the two apart by the worker's progress), merged, or refused."""

    QUEUED = "queued", "Queued"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
