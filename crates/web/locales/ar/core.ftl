# واجهة الويب بالعربية. الرسائل نفسها الموجودة في en.ftl (يتحقق منها اختبار).
# صيغ الجمع حسب قواعد CLDR: zero وone وtwo وfew (3–10) وmany (11–99) وother.

## التخطيط
skip-to-content = انتقل إلى المحتوى
nav-label = الرئيسية
nav-overview = نظرة عامة
nav-members = الأعضاء
nav-groups = المجموعات
nav-lines = خطوط الجهد
nav-requirements = الاحتياجات
nav-who = من يفعل ماذا وأين
nav-indicators = المؤشرات
nav-allocation = التوزيع
nav-funds = الصناديق
nav-meetings = الاجتماعات
nav-commitments = الالتزامات
nav-digest = الملخص
nav-plenary-report = تقرير الجلسة العامة
nav-reports = التقارير
nav-search = البحث
nav-notes = المذكرات
nav-contacts = جهات الاتصال
nav-screening = التدقيق
nav-administration = الإدارة
nav-peers = العقدة والأقران
signed-in-as = تم تسجيل الدخول باسم
role-viewer = مطّلع
role-contributor = مساهم
role-coordinator = منسّق
role-admin = مدير
scenario-as-of = سيناريو العرض بتاريخ
scenario-explained = يُحكم على البنود المتأخرة وتقرير الجلسة العامة بهذا اليوم لا باليوم الحالي
log-out = تسجيل الخروج
language = اللغة
language-change = تغيير
footer = coalesce · تنسيق التحالف وتبادل المعلومات فيه
any = الكل
none = لا شيء.
and-more = { $count ->
    [one] وواحد آخر
    [two] واثنان آخران
   *[other] و{ $count } أخرى
}

## الأشهر
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر

## تسجيل الدخول والأخطاء
login-title = تسجيل الدخول
login-username = اسم المستخدم
login-password = كلمة المرور
login-submit = دخول
login-wrong = اسم المستخدم أو كلمة المرور غير صحيحة.
back-to-overview = العودة إلى النظرة العامة
error-title-400 = طلب غير صالح
error-title-403 = غير مسموح
error-title-404 = غير موجود
error-title-409 = تعارض
error-title-413 = كبير جدًا
error-title-422 = غير صالح
error-title-429 = محاولات كثيرة جدًا
error-title-500 = حدث خطأ ما
error-title-503 = غير متاح الآن

## الصفحة الرئيسية
home-title = نظرة عامة
home-heading = التحالف في لمحة
home-waiting-for = بانتظار { $member }
home-nothing-waits = لا شيء بانتظار { $member }: لا تسليم لتأكيده، ولا تعهد لإلزامه، ولا مقترح للرد عليه، ولا تطابق تدقيق لمراجعته، ولا بند عمل مستحق.
home-unread = { $count ->
    [one] إشعار واحد غير مقروء في ملخصك
    [two] إشعاران غير مقروءين في ملخصك
    [few] { $count } إشعارات غير مقروءة في ملخصك
   *[other] { $count } إشعارًا غير مقروء في ملخصك
}
home-my-requirements = احتياجات { $member }
home-my-contributions = مساهمات { $member }
home-post-requirement = نشر احتياج
home-pledge = التعهد بمساهمة
home-in-numbers = بالأرقام
home-members = { $count ->
    [two] عضوان
    [few] أعضاء
    [many] عضوًا
   *[other] عضو
}
home-states = { $count ->
    [two] دولتان
    [few] دول
   *[other] دولة
}
home-organisations = { $count ->
    [two] منظمتان
    [few] منظمات
   *[other] منظمة
}
home-partners = { $count ->
    [two] دولتان شريكتان
    [few] دول شريكة
   *[other] دولة شريكة
}
home-groups = { $count ->
    [two] مجموعتان
    [few] مجموعات
   *[other] مجموعة
}
home-notes = { $count ->
    [two] مذكرتان متاحتان لـ{ $member }
    [few] مذكرات متاحة لـ{ $member }
   *[other] مذكرة متاحة لـ{ $member }
}
home-lines = خطوط الجهد
home-my-groups = المجموعات التي ينتمي إليها { $member }
home-group-members = { $count ->
    [one] عضو واحد
    [two] عضوان
    [few] { $count } أعضاء
   *[other] { $count } عضوًا
}
home-latest-notes = أحدث المذكرات
home-all-notes = كل المذكرات
home-share-note = مشاركة مذكرة
task-deliveries-to-confirm = تسليمات بانتظار التأكيد
task-deliveries-to-confirm-hint = أكّد ما استلمته مع الكمية
task-requirements-to-confirm = احتياجات مسجلة باسمك
task-requirements-to-confirm-hint = أكّد أنك تطلبها
task-contributions-to-confirm = مساهمات تذكرك
task-contributions-to-confirm-hint = أكّد أنك تساهم
task-pledges-to-commit = تعهدات بانتظار الإلزام
task-pledges-to-commit-hint = ألزِمها حين تصبح مؤكدة
task-proposals-to-decide = مقترحات توزيع بانتظار القرار
task-proposals-to-decide-hint = اقبلها أو ارفضها
task-proposals-to-commit = مقترحات مقبولة بانتظار الإلزام
task-proposals-to-commit-hint = ألزِم حصتك من العرض
task-screening-matches = تطابقات تدقيق بعد تحديث قائمة
task-screening-matches-hint = راجع التطابقات في سجلاتك
task-actions-due = بنود عمل مستحقة
task-actions-due-hint = أبلغ عن التقدم أو علّمها منجزة
task-overdue-since = متأخر منذ { $due } ({ $meeting })
task-due = مستحق في { $due } ({ $meeting })

## جدول المذكرات
notes-only-releasable = لا تظهر إلا المذكرات المتاحة لـ{ $member }.
notes-col-title = العنوان
notes-col-marking = التصنيف
notes-col-from = من
notes-col-updated = آخر تحديث
notes-none = لا مذكرات متاحة لـ{ $member }.

## أنواع السجلات
report-kind-foreign-fighter-travel = سفر المقاتلين الأجانب
report-kind-financing = التمويل
report-kind-situation-report = تقرير حالة
report-kind-counter-messaging = الرسائل المضادة
report-kind-stabilisation-assessment = تقييم الاستقرار
entity-kind-person = شخص
entity-kind-organisation = منظمة
entity-kind-vessel = سفينة
entity-kind-place = مكان

## البحث
search-title = البحث
search-words = الكلمات
search-records = السجلات
search-records-any = التقارير والكيانات
search-records-reports = التقارير
search-records-entities = الكيانات
search-kind = النوع
search-member = من العضو
search-line = خط الجهد
search-marking = التصنيف
search-from = وقع من
search-until = حتى
search-submit = ابحث
search-hint = يجب أن ترد كل كلمة. تُوجد الأسماء مهما كان رسمها أو نقحرتها (Youssef وYusuf ويوسف)، كما يطابقها التدقيق.
search-also = بُحث أيضًا عن
search-also-for = «{ $also }» بدل «{ $asked }»
search-also-why = : كما تكتبها الأسماء التي يحق لك قراءتها.
search-results = { $count ->
    [zero] لا نتائج مما يحق لك قراءته.
    [one] نتيجة واحدة مما يحق لك قراءته.
    [two] نتيجتان مما يحق لك قراءته.
    [few] { $count } نتائج مما يحق لك قراءته.
   *[other] { $count } نتيجة مما يحق لك قراءته.
}
search-narrow = تضييق النتائج
search-hit-from = { $kind } من { $member }
search-save-as = حفظ هذا البحث باسم
search-save = حفظ
search-saved = عمليات البحث المحفوظة
search-saved-none = لا شيء بعد: ابحث ثم احفظ البحث باسم لتعيد تشغيله لاحقًا.
search-delete = حذف
search-delete-saved = حذف البحث المحفوظ { $name }

## تصنيف السجل: TLP وREL TO (كل نموذج يكتب تصنيفًا)
marking-tlp = مستوى TLP
marking-clear = الجميع
marking-green = المجتمع المذكور أدناه
marking-amber = الأعضاء المذكورون أدناه، حسب الحاجة إلى المعرفة
marking-amber-strict = منظماتهم فقط
marking-red = الأشخاص المذكورون، لاطلاعهم وحدهم (لا ينتقل إلا إلى عقد الأعضاء المذكورين مباشرة)
rel-to-legend = قابل للإتاحة لـ
rel-to-hint = { $member } (عضوك) مشمول دائمًا. حدّد من يحق له قراءته أيضًا: التحالف كله، أو مجموعة، أو أعضاء واحدًا واحدًا.
rel-to-coalition = التحالف كله (COALITION)
rel-to-members = { $count ->
    [one] عضو واحد بالاسم
    [two] عضوان بالاسم
    [few] الأعضاء بالاسم ({ $count })
   *[other] الأعضاء بالاسم ({ $count })
}
rel-to-other = رموز أخرى (رموز الأعضاء أو GROUP:slug، مفصولة بفواصل أو مسافات)
marking-default-meeting = التصنيف (افتراضيًا: تصنيف الاجتماع)
admin-scope-member = تدير مستخدمي { $member } فقط: يدير مستخدمي الأعضاء الآخرين ورموز واجهتهم البرمجية مسؤولوهم أو مسؤولو الأمانة.
