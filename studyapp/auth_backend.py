"""Signs learners in as Django's ModelBackend does, and reads the signed-in user from the shared cache.

Every page a learner opens needs their user row; keeping it in Redis (the "shared" cache) saves a
database query per request. The cached copy is dropped whenever the row changes through the ORM
(save or delete signals), and entries expire on their own after USER_CACHE_SECONDS.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save

from .redis_cache import drop

USER_CACHE_SECONDS = 300


def _key(user_id) -> str:
    return f"auth-user:{user_id}"


class CachedUserBackend(ModelBackend):
    def get_user(self, user_id):
        cache = caches["shared"]
        user = cache.get(_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(_key(user_id), user, USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


def forget_user(sender, instance, **kwargs) -> None:
    drop([_key(instance.pk)])


post_save.connect(forget_user, sender=get_user_model(), dispatch_uid="forget-cached-user-on-save")
post_delete.connect(forget_user, sender=get_user_model(), dispatch_uid="forget-cached-user-on-delete")
