from django.shortcuts import render


def home(request):
    return render(request, "public/home.html")


def track(request, code: str):
    """Bare-bones tracking page (issue 5 needs one for its live test; the
    public-pages branch replaces it): status and the public timeline only."""
    from django.http import Http404

    from feedback.models import Ticket

    ticket = Ticket.objects.filter(code=code.replace("-", "").upper()).first()
    if ticket is None:
        raise Http404
    events = ticket.events.filter(is_public=True).order_by("at", "pk")
    return render(request, "public/track.html", {"ticket": ticket, "events": events})
