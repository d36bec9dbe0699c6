"""Log-in backend whose user lookup is served from the cache.

Every page a logged-in person opens needs their user row; the cache keeps it, so a page costs no
query for it. The entry is dropped when the user is saved (password, active flag, superuser,
last log-in) or deleted (indicators.signals), and Django still checks the session's password hash
against it, so a changed password logs other sessions out as before.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

USER_SECONDS = 600


def user_key(user_id) -> str:
    return f"auth-user:{user_id}"


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        from indicators.access import scope_key

        # One round trip for the user and their access scope (indicators.access), which every
        # page asks for next.
        found = cache.get_many([user_key(user_id), scope_key(user_id)])
        user = found.get(user_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(user_key(user_id), user, USER_SECONDS)
        elif not self.user_can_authenticate(user):
            return None
        if scope_key(user_id) in found:
            user._portal_scope = found[scope_key(user_id)]
        return user
