from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def builder(request: HttpRequest) -> HttpResponse:
    return render(request, "builder/builder.html")
