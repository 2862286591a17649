from raksa.booking.models import BookingStatus, TicketStatus
from raksa.core.choices import choice_labels
from raksa.core.errors import Conflict, DomainError, InvalidInput, NotFound


def slot_full() -> Conflict:
    return Conflict("This time is fully booked. Choose another time or join the waiting list.",
                    "เวลานี้เต็มแล้ว กรุณาเลือกเวลาอื่นหรือลงชื่อรอคิว", code="SLOT_FULL", field="slot")


def slot_not_found() -> NotFound:
    return NotFound("This time slot does not exist.", "ไม่พบช่วงเวลานี้", code="SLOT_NOT_FOUND", field="slot")


def slot_not_bookable(why_en: str, why_th: str) -> InvalidInput:
    return InvalidInput(why_en, why_th, code="SLOT_NOT_BOOKABLE", field="slot")


def already_booked() -> Conflict:
    return Conflict("This person already has a booking at this unit on that day. Cancel or change it instead.",
                    "บุคคลนี้มีการจองที่หน่วยบริการนี้ในวันดังกล่าวแล้ว กรุณายกเลิกหรือเปลี่ยนเวลาการจองเดิม",
                    code="ALREADY_BOOKED", field="citizen")


def booking_not_active(status: str) -> Conflict:
    label = choice_labels(BookingStatus, status)
    return Conflict(f"This booking can no longer be changed (its status is {label.en}).",
                    f"การจองนี้เปลี่ยนแปลงไม่ได้แล้ว (สถานะ: {label.th})", code="BOOKING_NOT_ACTIVE")


def ticket_state(label: str, status: str, wanted: str) -> Conflict:
    """A ticket cannot go from the state it is in to the one asked."""
    now, then = choice_labels(TicketStatus, status), choice_labels(TicketStatus, wanted)
    return Conflict(f"Ticket {label} is {now.en}; it cannot become {then.en}.",
                    f"บัตรคิว {label} อยู่ในสถานะ{now.th} จึงเปลี่ยนเป็น{then.th}ไม่ได้", code="TICKET_STATE")


def queue_empty() -> Conflict:
    return Conflict("No one is waiting in today's queue.", "ไม่มีผู้รอในคิววันนี้", code="QUEUE_EMPTY")


class NotEligible(DomainError):
    status = 409
    code = "NOT_ELIGIBLE"

    def __init__(self, decision, language: str = "th") -> None:
        reasons = decision.messages("en")
        reasons_th = decision.messages("th")
        super().__init__("Not eligible: " + "; ".join(r["message"] for r in reasons),
                         "ไม่มีสิทธิ: " + " ".join(r["message"] for r in reasons_th), field="citizen")
        self.reasons = [r["code"] for r in reasons]

    def as_dict(self) -> dict:
        return {**super().as_dict(), "reasons": self.reasons}
