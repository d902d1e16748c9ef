"""Signs learners in as Django's ModelBackend does, and reads the signed-in user from the shared cache.

Every page a learner opens needs their user row; keeping it in Redis (the "shared" cache) saves a
database query per request. The cached copy is dropped whenever the row changes through the ORM
(save or delete signals), and entries expire on their own after USER_CACHE_SECONDS.

Other per-learner entries that every page reads (settings.READ_WITH_USER: the navigation's running-lab badge)
come in the same round trip to Redis as the user; their readers take them with `read_with_user`. What they get
is the entry as it was when the request read the user; a write later in the same request is seen by the next one.
"""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import import_string

from .redis_cache import drop

USER_CACHE_SECONDS = 300


def _key(user_id) -> str:
    return f"auth-user:{user_id}"


NOT_READ = object()


@functools.cache
def _read_along() -> tuple:
    return tuple(import_string(path) for path in settings.READ_WITH_USER)


def read_with_user(user, key: str):
    """The shared-cache entry `key` as read with this signed-in user (None: not in the cache), once; NOT_READ when
    it was not (a user loaded some other way) or was taken already: the caller then reads it itself."""
    return getattr(user, "_read_with_user", {}).pop(key, NOT_READ)


class CachedUserBackend(ModelBackend):
    def get_user(self, user_id):
        cache = caches["shared"]
        along = [key_for(user_id) for key_for in _read_along()]
        found = cache.get_many([_key(user_id), *along])
        user = found.get(_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(_key(user_id), user, USER_CACHE_SECONDS)
        if user is not None:
            user._read_with_user = {key: found.get(key) for key in along}  # set after caching: never stored with the user
        return user if self.user_can_authenticate(user) else None


def forget_user(sender, instance, **kwargs) -> None:
    drop([_key(instance.pk)])


post_save.connect(forget_user, sender=get_user_model(), dispatch_uid="forget-cached-user-on-save")
post_delete.connect(forget_user, sender=get_user_model(), dispatch_uid="forget-cached-user-on-delete")
