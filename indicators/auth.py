"""Log-in backend whose user lookup is served from the cache.

Every page a logged-in person opens needs their user row; the cache keeps it, so a page costs no
query for it. The entry is dropped when the user is saved (password, active flag, superuser,
last log-in) or deleted (portal.signals), and Django still checks the session's password hash
against it, so a changed password logs other sessions out as before.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

USER_SECONDS = 600


def user_key(user_id) -> str:
    return f"auth-user:{user_id}"


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = cache.get(user_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(user_key(user_id), user, USER_SECONDS)
            return user
        return user if self.user_can_authenticate(user) else None
