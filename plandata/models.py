"""Documents the plans were read from, beyond the seeds kept in fixtures/sources/."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceDocument(models.Model):
    """The text rendering of an imported plan document: every imported row's source line points
    into it, so pages link each row to the line it was read from, as they do for the seeds."""

    file = models.CharField(_("来源文件"), max_length=100, unique=True)  # the name rows cite
    title = models.CharField(_("文件标题"), max_length=200)
    original_name = models.CharField(_("上传文件名"), max_length=255, blank=True)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    text = models.TextField(_("文本"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("来源文件")
        verbose_name_plural = _("来源文件")

    def __str__(self):
        return self.title
