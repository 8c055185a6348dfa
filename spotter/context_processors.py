from .models import Role


def roles(request):
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {"Role": Role, "current_role": role}
