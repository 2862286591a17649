"""The audit log names a citizen who acted in LINE (actor ``line:<userId>``) and LINE's actions in Thai."""

from interfaces.backoffice.labels import actor_label, audit_action_label, object_type_label


def test_a_citizen_acting_in_line_and_lines_actions_in_thai():
    assert actor_label("line:U" + "1" * 32) == f"ประชาชนทาง LINE (U{'1' * 32})"
    assert actor_label("system") == "ระบบ" and actor_label("pharmacist") == "pharmacist"
    assert audit_action_label("line.follow") == "เพิ่มเพื่อนบัญชี LINE ของรักษา"
    assert audit_action_label("line.unfollow") == "บล็อกบัญชี LINE ของรักษา"
    assert object_type_label("messaging.linecontact") == "ผู้ติดต่อ LINE"
