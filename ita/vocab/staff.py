"""Words in staff lists: column headers and roles."""

HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อสกุล", "ชื่อ", "name"),
    "position": ("ตำแหน่ง", "position"),
    "unit": ("หน่วยงาน", "สังกัด", "กอง", "ส่วนราชการ", "unit"),
    "role": ("บทบาท", "สิทธิ์", "role"),
    "phone": ("โทรศัพท์", "เบอร์", "มือถือ", "phone", "tel"),
}

# Checked in order: "ผู้ดูแลระบบ" before anything containing "ผู้".
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "admin": ("ผู้ดูแลระบบ", "แอดมิน", "admin"),
    "supervisor": ("ผู้บังคับบัญชา", "หัวหน้า", "ปลัด", "ผู้อำนวยการ", "ผอ.", "ผู้ประสานงาน", "supervisor"),
    "officer": ("เจ้าหน้าที่", "ผู้รับผิดชอบ", "officer", "staff"),
}
