def classroom(request):
    return {}
