from django.contrib import admin

from classrooms.models import Classroom, Member, Message


class MemberInline(admin.TabularInline):
    model = Member
    fields = ("name", "joined_at", "hand_raised_at", "hand_message")
    readonly_fields = fields
    extra = 0
    can_delete = True


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "created_at", "ends_at")
    search_fields = ("title", "code")
    filter_horizontal = ("instructors",)
    readonly_fields = ("code", "created_at", "changed_at")
    inlines = [MemberInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("classroom", "kind", "member", "created_at")
    list_filter = ("kind",)
