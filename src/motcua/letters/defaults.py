"""The three letters motcua ships with, and where they belong in the catalog.

Pure data plus one function on whatever models it is given, so that the data
migration (historical models) and the demo loader (real models, after the
catalog import) share it. Codes are national TTHC codes of the civil-status
procedures (``shared/data/procedures``); a local suffix (``1.001193.H26``)
matches too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

BIRTH_CODES = (
    "1.001193",  # Thủ tục đăng ký khai sinh
    "1.003583",  # đăng ký khai sinh lưu động
    "1.000689",  # khai sinh kết hợp nhận cha, mẹ, con
    "2.000528",  # khai sinh có yếu tố nước ngoài
    "1.000110",  # khai sinh có yếu tố nước ngoài tại khu vực biên giới
)
MARRIAGE_CODES = (
    "1.000894",  # Thủ tục đăng ký kết hôn
    "1.000593",  # đăng ký kết hôn lưu động
    "2.000806",  # kết hôn có yếu tố nước ngoài
    "1.000094",  # kết hôn có yếu tố nước ngoài tại khu vực biên giới
)
DEATH_CODES = (
    "1.000656",  # Thủ tục đăng ký khai tử
    "1.000419",  # đăng ký khai tử lưu động
    "1.001766",  # khai tử có yếu tố nước ngoài
    "1.004827",  # khai tử có yếu tố nước ngoài tại khu vực biên giới
)

DEFAULT_TEMPLATES: tuple[dict[str, Any], ...] = (
    {
        "name": "Thư chúc mừng đăng ký khai sinh",
        "kind": "congratulations",
        "moment": "returned",
        "title": "THƯ CHÚC MỪNG",
        "greeting": "Kính gửi: Ông (bà) {ho_ten},",
        "body": (
            "Nhân dịp gia đình đón thành viên mới và hoàn tất thủ tục {thu_tuc} "
            "ngày {ngay}, {don_vi} xin gửi tới ông (bà) và gia đình lời chúc mừng "
            "tốt đẹp nhất.\n"
            "Chúc cháu bé luôn khỏe mạnh, ngoan ngoãn, lớn lên trong tình yêu thương "
            "của gia đình và cộng đồng; chúc gia đình luôn hạnh phúc, an khang.\n"
            "Cảm ơn ông (bà) đã tin tưởng sử dụng dịch vụ của Bộ phận Một cửa."
        ),
        "signer_title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        "codes": BIRTH_CODES,
    },
    {
        "name": "Thư chúc mừng đăng ký kết hôn",
        "kind": "congratulations",
        "moment": "returned",
        "title": "THƯ CHÚC MỪNG",
        "greeting": "Kính gửi: Ông (bà) {ho_ten},",
        "body": (
            "Nhân dịp ông (bà) hoàn tất thủ tục {thu_tuc} ngày {ngay}, {don_vi} "
            "xin gửi tới hai bạn lời chúc mừng chân thành nhất.\n"
            "Chúc hai bạn trăm năm hạnh phúc, cùng nhau xây dựng gia đình no ấm, "
            "bình đẳng, tiến bộ và văn minh.\n"
            "Cảm ơn ông (bà) đã tin tưởng sử dụng dịch vụ của Bộ phận Một cửa."
        ),
        "signer_title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        "codes": MARRIAGE_CODES,
    },
    {
        "name": "Điện chia buồn khi đăng ký khai tử",
        "kind": "condolences",
        "moment": "received",
        "title": "ĐIỆN CHIA BUỒN",
        "greeting": "Kính gửi: Ông (bà) {ho_ten} và gia đình,",
        "body": (
            "Được tin gia đình có người thân vừa qua đời, {don_vi} xin gửi tới "
            "ông (bà) và toàn thể gia đình lời chia buồn sâu sắc nhất.\n"
            "Cầu mong gia đình sớm vượt qua nỗi đau mất mát. Hồ sơ {thu_tuc} của "
            "gia đình đã được tiếp nhận ngày {ngay} và sẽ được giải quyết nhanh nhất; "
            "gia đình không phải đi lại thêm nếu không có yêu cầu."
        ),
        "signer_title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        "codes": DEATH_CODES,
    },
)


def code_matches(code: str, national: str) -> bool:
    """``code`` is the national code ``national`` or it with a local suffix."""
    return code == national or code.startswith(national + ".")


def attach_default_procedures(template_model: Any, procedure_model: Any) -> int:
    """Attach each default template (by name) to the procedures present; return the links made.

    Takes the models as arguments so that a migration can pass its historical
    ones. Links already there are kept; missing templates or procedures are
    skipped.
    """
    made = 0
    for spec in DEFAULT_TEMPLATES:
        template = template_model.objects.filter(name=spec["name"]).first()
        if template is None:
            continue
        query = Q()
        for national in spec["codes"]:
            condition = Q(code=national) | Q(code__startswith=national + ".")
            query |= condition
        procedures = procedure_model.objects.filter(query).exclude(
            pk__in=template.procedures.values("pk")
        )
        ids = list(procedures.values_list("pk", flat=True))
        if ids:
            template.procedures.add(*ids)
            made += len(ids)
    return made


def create_default_templates(template_model: Any) -> int:
    """Create the default templates that do not exist yet (by name); return how many."""
    created = 0
    for spec in DEFAULT_TEMPLATES:
        fields = {key: value for key, value in spec.items() if key not in ("name", "codes")}
        _, was_created = template_model.objects.get_or_create(name=spec["name"], defaults=fields)
        created += int(was_created)
    return created
