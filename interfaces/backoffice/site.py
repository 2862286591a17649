from django.contrib import admin


class BackofficeSite(admin.AdminSite):
    """The payer officers' back office (Django admin, in Thai)."""

    site_header = "Raksa — ระบบหลังบ้าน สปสช."
    site_title = "Raksa ระบบหลังบ้าน"
    index_title = "งานทะเบียนหน่วยบริการ อัตราค่าบริการ เคลม การจ่ายเงิน และบันทึกการตรวจสอบ"
    index_template = "backoffice/index.html"  # Django's, with the claims work (review queue, statements) on top

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff


backoffice_site = BackofficeSite(name="backoffice")
