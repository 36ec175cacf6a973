"""The words a demo book is made of: names, companies, tags, notes, what clients write about, what is owed.

Plain data, so the generator can turn each list into a pool of ready-made values once (see
:mod:`clientbook.demo.pools`) instead of composing text for every row.
"""

from __future__ import annotations

from typing import Final

from clientbook.core.models import Stage

FIRST: Final = (
    "Alice",
    "Bo",
    "Carla",
    "Dalia",
    "Emeka",
    "Freya",
    "Gustavo",
    "Hana",
    "Ines",
    "Jonas",
    "Kwame",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Søren",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Amélie",
    "Björn",
    "Chloé",
    "Darius",
    "Elif",
    "Farah",
    "Giulia",
    "Hugo",
    "Ivan",
    "Jules",
)
LAST: Final = (
    "Anders",
    "Lindqvist",
    "Alison",
    "Okafor",
    "Mensah",
    "Byrne",
    "Pereira",
    "Sato",
    "Núñez",
    "Weber",
    "Kowalski",
    "Haddad",
    "Fischer",
    "Moreau",
    "Rossi",
    "Ng",
    "O'Brien",
    "Dubois",
    "Kapoor",
    "Jensen",
    "García",
    "Novak",
    "Eriksen",
    "Mwangi",
    "Costa",
    "Brennan",
    "Ishikawa",
    "Zhou",
    "Ferreira",
    "Lund",
)
COMPANY_WORDS: Final = (
    "Anders",
    "Okafor",
    "Northlight",
    "Harbour",
    "Blue Fern",
    "Kestrel",
    "Maple",
    "Riverside",
    "Copperleaf",
    "Saltmarsh",
    "Juniper",
    "Foxglove",
    "Larkspur",
    "Ironbridge",
    "Meadowsweet",
    "Tidewater",
    "Hollybush",
    "Granite",
    "Wren",
    "Orchard",
    "Thistle",
    "Beacon",
    "Millbrook",
    "Sorrel",
)
COMPANY_KINDS: Final = (
    "Design",
    "& Co",
    "Studio",
    "Bakery",
    "Yoga",
    "Consulting",
    "Dental",
    "Physio",
    "Architects",
    "Gallery",
    "Legal",
    "Florists",
    "Coaching",
    "Accountants",
    "Joinery",
    "Media",
)
TAGS: Final = ("retainer", "design", "coaching", "referral", "vip", "monthly", "workshop", "web", "print")
ROLES: Final = ("Director", "Office manager", "Marketing lead", "Founder", "Finance")
NOTES: Final = (
    "Prefers mornings; never call on Fridays.",
    "Has two children; asks after our dog.",
    "Likes a short written summary after every call.",
    "Allergic to long meetings: keep to 30 minutes.",
    "",
    "",
)
ZONES: Final = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney", "")
STAGE_WEIGHTS: Final = (
    (Stage.LEAD, 15),
    (Stage.ONBOARDING, 10),
    (Stage.ACTIVE, 40),
    (Stage.POST_SALE, 15),
    (Stage.DORMANT, 12),
    (Stage.FORMER, 8),
)
"""Each stage with its share of clients, in percent."""
STAFF: Final = ("Pat Owner", "Sam Rivera", "Alex Chen")
"""The demo's staff, owner first."""

SUBJECTS: Final = {
    "inbound": (
        "Question about the invoice",
        "Asked for a quote",
        "Feedback on the first draft",
        "Wants to move the meeting",
        "Thanks for the workshop",
        "Worried about the deadline",
        "Sent the signed contract",
        "Asked about next steps",
        "Logo colours look off",
        "Referral: a friend needs help",
    ),
    "outbound": (
        "Sent the revised quote",
        "Kickoff call",
        "Shared the first draft",
        "Confirmed Thursday's meeting",
        "Monthly check-in",
        "Sent the welcome pack",
        "Answered the invoice question",
        "Followed up on the proposal",
        "Delivered the final files",
        "Post-sale check-in",
    ),
    "internal": (
        "Prefers email to calls",
        "Budget is tight this quarter",
        "Decision maker is the finance lead",
        "Birthday in March",
        "Mentioned a second project",
    ),
}
CHANNEL_FOR: Final = {
    "inbound": ("email", "call", "message"),
    "outbound": ("email", "call", "meeting"),
    "internal": ("note",),
}
DIRECTION_SHARES: Final = (("inbound", 0.45), ("outbound", 0.45), ("internal", 0.10))
"""How often each direction occurs: as many messages in as replies out, and a few notes."""
MOODS: Final = (None, None, "happy", "neutral", "upset")
"""The mood of an inbound message (most are not marked)."""
DETAILS: Final = (
    "",
    "",
    "Went through the three options; they lean towards the middle one.",
    "Follow up with the revised figures by Friday.",
    "They asked us to copy their assistant on everything from now on.",
)


PROMISES: Final = (
    "Send the revised quote",
    "Share the brand guide",
    "Call back about the invoice",
    "Send the signed contract",
    "Book the follow-up workshop",
    "Send the meeting notes",
)
CONCERNS: Final = (
    ("Second missed deadline this month", "high"),
    ("The invoice had the wrong amount", "medium"),
    ("Nobody replied to my email last week", "medium"),
    ("The logo colours are still off", "low"),
)
