# records: ar
# المذكرات والتقارير والكيانات، وصفحات أنواع السجلات (جهات الاتصال)، والنسخ،
# والاجتماعات والتزاماتها، والملخص، والتدقيق في العقوبات، وإدارة العقدة
# وأقرانها. الرسائل نفسها الموجودة في en/records.ftl (يتحقق منها اختبار).
# صيغ الجمع حسب قواعد CLDR: zero وone وtwo وfew (3–10) وmany (11–99) وother.

## كلمات تتشاركها عدة صفحات
records-marking = التصنيف
records-member = العضو
records-versions = النسخ
records-version = النسخة { $version }
records-version-changed = النسخة { $version }، آخر تعديل من { $user } في
records-withdrawn = مسحوب
records-optional = (اختياري)
records-save-new-version = حفظ نسخة جديدة
# بين اسم وما يقال عنه («GBR: …»).
records-colon = :

## مصدر السجل (_source.html)
source-label = المصدر
source-illustrative = توضيحي
source-source = المصدر:
source-outside = خارج الوثائق:

## أخطاء النموذج (_form_errors.html)
form-errors-count = { $count ->
    [one] أمر واحد يجب تصحيحه
    [two] أمران يجب تصحيحهما
    [few] { $count } أمور يجب تصحيحها
   *[other] { $count } أمرًا يجب تصحيحه
}
form-errors-kept = (ما كتبته محفوظ):

## أطراف المساهمة (_parties.html)
parties-legend = الأطراف (اختياري): من يورّد أو ينقل أو يستلم أو يدفع. تُدقَّق في قوائم العقوبات.
parties-role = الدور
parties-kind = النوع
parties-name = الاسم
parties-country = البلد (ISO alpha-3)
parties-role-supplier = مورّد
parties-role-carrier = ناقل
parties-role-consignee = مرسَل إليه
parties-role-implementing_partner = شريك منفّذ
parties-role-financial_institution = مؤسسة مالية
parties-role-other = آخر
parties-kind-organisation = منظمة
parties-kind-person = شخص
parties-kind-vessel = سفينة

## المذكرات
notes-title = المذكرات
notes-count = { $count ->
    [zero] لا مذكرات متاحة لـ{ $member }.
    [one] مذكرة واحدة متاحة لـ{ $member }.
    [two] مذكرتان متاحتان لـ{ $member }.
    [few] { $count } مذكرات متاحة لـ{ $member }.
   *[other] { $count } مذكرة متاحة لـ{ $member }.
}
notes-share = مشاركة مذكرة
notes-older = مذكرات أقدم
note-shared-by = شاركها
note-shared-on = ({ $user }) في
note-group = المجموعة
note-edit = تعديل
note-form-new = مشاركة مذكرة
note-form-edit = تعديل المذكرة
note-form-share = مشاركة
note-form-title = العنوان
note-form-text = النص
note-form-group = المجموعة (اختياري)

## نسخ مذكرة أو سجل
versions-page-title = النسخ
versions-of = نسخ
versions-col-version = النسخة
versions-col-title = العنوان
versions-col-changed = التعديل
versions-withdrawn = (مسحوبة)
versions-origin-only = المصدر فقط
versions-changed-by = { $date } من { $user }
versions-hidden = لا تظهر النسخ التي لم يشمل تصنيفها { $member }.

## صفحات أنواع السجلات (record_list وrecord وrecord_form)
record-list-count = { $count ->
    [zero] لا شيء متاح لـ{ $member }.
    [one] واحد متاح لـ{ $member }.
    [two] اثنان متاحان لـ{ $member }.
   *[other] { $count } متاحة لـ{ $member }.
}
record-list-none = لا شيء يحق لـ{ $member } قراءته.
record-list-older = الأقدم
record-recorded-by = ، سجّله { $user } في
record-change = تعديل
record-submit = تسجيل
# جهات الاتصال (/contacts): صفحاتها وحقولها.
record-contacts-list = جهات الاتصال
record-contacts-new = تسجيل جهة اتصال
record-contacts-change = تعديل جهة اتصال
record-contacts-versions = نسخ جهة اتصال
record-contacts-of = جهة اتصال لـ
record-contacts-withdraw = سحب جهة الاتصال هذه
record-contacts-field-name = الاسم
record-contacts-field-role = المهمة
record-contacts-field-email = البريد الإلكتروني
record-contacts-field-phone = الهاتف

## التقارير
reports-title = التقارير
reports-file = تقديم تقرير
reports-search = البحث
reports-count = { $count ->
    [zero] لا تقارير يحق لك قراءتها.
    [one] تقرير واحد يحق لك قراءته.
    [two] تقريران يحق لك قراءتهما.
    [few] { $count } تقارير يحق لك قراءتها.
   *[other] { $count } تقريرًا يحق لك قراءته.
}
reports-kind = النوع
reports-filter = تصفية
reports-col-report = التقرير
reports-col-from = من
reports-col-occurred = تاريخ الوقوع
reports-none = لا تقارير يحق لك قراءتها.
reports-next-page = الصفحة التالية
reports-stix-taxii = STIX وTAXII
reports-download = نزّل ما يحق لك قراءته في شكل
reports-stix-bundle = حزمة STIX 2.1
reports-or = ، أو
reports-import-one = استورد واحدة
reports-taxii-at = . يجد عملاء TAXII 2.1 هذه العقدة على
reports-api-root = (جذر API
reports-collection = ، المجموعة
reports-taxii-auth = ، «Coalition»)، عبر HTTP Basic: اسم المستخدم وكلمة المرور، أو رمز API بدلًا من كلمة المرور. تقدّم بالضبط ما يحق لعضوك قراءته.

## تقرير
report-from = { $kind } من
report-occurred = وقع في { $date }
report-details = التفاصيل
report-route = المسار
report-leg-origin = المنشأ
report-leg-transit = العبور
report-leg-destination = الوجهة
report-documents = الوثائق
report-commodity = السلعة
report-commodity-crude-oil = نفط خام
report-commodity-refined-products = منتجات مكررة
report-commodity-cash = نقد
report-commodity-antiquities = آثار
report-commodity-other = أخرى
report-quantity = الكمية
report-payments = المدفوعات
report-payment-on = في { $date }
report-narratives = الروايات
report-channels = القنوات
report-about = عن
report-born = مولود في { $date }
report-no-entity = لا كيان يحق لك قراءته.
report-versions-title = نسخ تقرير
report-versions-col-entities = الكيانات التي يحق لك قراءتها

## تقديم تقرير
report-form-title = تقديم تقرير
report-form-title-field = العنوان
report-form-text = النص
report-form-occurred-on = تاريخ الوقوع (YYYY-MM-DD، اختياري)
report-form-existing-entity = كيان موجود ({ $id }).
report-form-entity-kind = نوع الكيان
report-form-entity-name = الاسم (اتركه فارغًا إن لم يوجد)
report-form-entity-aliases = أسماء ورسوم أخرى، واحد في كل سطر (الكتابة العربية مرحّب بها)
report-form-entity-birth-date = تاريخ الميلاد (YYYY أو YYYY-MM أو YYYY-MM-DD)
report-form-entity-nationality = الجنسية (ISO 3166-1 alpha-3)
report-form-entity-documents = أرقام الوثائق، واحد في كل سطر
report-form-entity-imo = رقم IMO (للسفن)
report-form-role = الدور في التقرير (مثلًا مسافر، مشترٍ، سفينة)
report-form-details = التفاصيل (املأ ما يخص نوع التقرير)
report-form-route = السفر والتمويل: المسار.
report-form-route-origin = بلد المنشأ (ISO 3166-1 alpha-3)
report-form-route-departed = تاريخ المغادرة (YYYY-MM-DD)
report-form-route-transit = بلدان العبور بالترتيب (مثلًا TUR، SYR)
report-form-route-destination = بلد الوجهة
report-form-route-arrived = تاريخ الوصول (YYYY-MM-DD)
report-form-documents = السفر: الوثائق المستعملة، واحدة في كل سطر
report-form-commodity = التمويل: السلعة
report-form-quantity = التمويل: الكمية (عدد صحيح)
report-form-quantity-unit = الوحدة (برميل، طن، لتر، حمولة شاحنة)
report-form-payment = التمويل: دفعة (المبلغ، مثلًا 300000.00)
report-form-payment-currency = العملة (ISO 4217)
report-form-payment-date = تاريخ الدفع (YYYY-MM-DD)
report-form-narratives = الرسائل المضادة: الروايات، واحدة في كل سطر
report-form-channels = الرسائل المضادة: القنوات، واحدة في كل سطر
report-form-submit = تقديم التقرير

## كيان
entity-version = النسخة { $version }
entity-aliases = يُعرف أيضًا باسم
entity-born = تاريخ الميلاد
entity-nationality = الجنسية
entity-flag = العلم
entity-recorded-by = سجّله
entity-reports-about = { $kind ->
    [person] تقارير عن هذا الشخص
   *[other] تقارير عنه
}
entity-report-from = { $kind } من { $member }
entity-none = لا شيء يحق لك قراءته.
entity-file-report = تقديم تقرير عنه
entity-likely-same-as = على الأرجح هو نفسه
entity-likely-explain = كيانات أبلغ عنها أعضاء آخرون ويحق لك قراءتها، قيّمها مطابِق العقوبات (الأسماء ورسومها ونقحراتها؛ وتاريخ الميلاد والجنسية والوثائق قرائن).
entity-col-entity = الكيان
entity-likely-same = على الأرجح هو نفسه
entity-none-found = لم يوجد شيء مما يحق لك قراءته.
entity-relationships = العلاقات
# كيف يرتبط هذا الكيان بآخر («يملك <الآخر>») …
entity-rel-travelled-with = سافر مع
entity-rel-financed = موّل
entity-rel-owns = يملك
entity-rel-operates = يشغّل
entity-rel-sighted-at = شوهد في
# … وكيف يرتبط به آخر («<الآخر> يملك هذا»).
entity-rel-in-travelled-with = سافر مع هذا
entity-rel-in-financed = موّل هذا
entity-rel-in-owns = يملك هذا
entity-rel-in-operates = يشغّل هذا
entity-rel-in-sighted-at = شوهد في هذا المكان
entity-versions-title = نسخ كيان
entity-edit = تعديل بياناته
entity-edit-title = تعديل كيان
entity-edit-kind = يبقى من نوع «{ $kind }»: نوع الكيان لا يتغير.
entity-edit-one-per-line = واحد في كل سطر.
entity-edit-retain-hint = اليوم الذي يُحتفظ بالبيانات الشخصية حتى حلوله؛ فارغ: المدة الافتراضية للعقدة.
entity-edit-birth-hint = YYYY أو YYYY-MM أو YYYY-MM-DD.
entity-edit-country-hint = رمز البلد من ثلاثة أحرف (ISO 3166-1 alpha-3، مثل IRQ).
entity-edit-links-kept = التقارير التي تذكره وعلاقاته وقرارات الفحص الخاصة به تبقى كما هي.
entity-edit-cancel = العودة إلى الكيان دون حفظ
entity-conflict-heading = حفظ شخص آخر هذا الكيان بينما كنت تعدّله
entity-field-name = الاسم
entity-field-retain_until = يُحتفظ بالبيانات الشخصية حتى

## الاجتماعات
meetings-title = الاجتماعات
meetings-intro = اجتماعات التحالف التي يحق لك قراءتها، الأحدث أولًا، كل منها بتوقيته المحلي.
meetings-board = لوحة الالتزامات
meetings-digest = ملخصك وموجز التقويم
meetings-col-when = الموعد (بالتوقيت المحلي)
meetings-col-meeting = الاجتماع
meetings-kind = النوع
meetings-col-where = المكان
meetings-group = المجموعة
meetings-col-attending = الحضور
meetings-whole-coalition = التحالف كله
meetings-none = لا اجتماع يحق لك قراءته.
meetings-record = تسجيل اجتماع
meetings-title-field = العنوان
meetings-place = المكان
meetings-starts = البداية (بالتوقيت المحلي)
meetings-ends = النهاية (بالتوقيت المحلي)
meetings-time-zone = المنطقة الزمنية
meetings-host = المضيف (رمز العضو)
meetings-chair = الرئاسة (افتراضيًا: المضيف)
meetings-attendees = الحضور (رموز الأعضاء)
meetings-level = المستوى
meetings-agenda = جدول الأعمال (بند في كل سطر)
meetings-submit = تسجيل الاجتماع
meeting-type-summit = قمة
meeting-type-ministerial = اجتماع وزاري
meeting-type-plenary = جلسة عامة
meeting-type-small_group = مجموعة مصغّرة
meeting-type-working_group = فريق عمل
meeting-type-task_force = فرقة عمل
meeting-level-head_of_state = رئيس دولة أو حكومة
meeting-level-minister = وزير
meeting-level-official = مسؤول

## اجتماع
meeting-until = إلى { $ends } ({ $tz }).
meeting-hosted = استضافه { $host }، وترأسه { $chair }؛
meeting-of-group = اجتماع لـ
meeting-of-coalition = اجتماع للتحالف كله
meeting-add-to-calendar = إضافة إلى التقويم (.ics)
meeting-agenda-heading = جدول الأعمال والقرارات وبنود العمل
meeting-follows-up = متابعة لاجتماع سابق
meeting-outcome-decision = قرار
meeting-outcome-information = إحاطة
meeting-adopted-by = (اعتمده { $members })
meeting-no-agenda = لا جدول أعمال بعد.
meeting-statement = بيان مشترك، { $date }
meeting-signed-by = وقّعه { $members }.
meeting-attendance = الحضور ({ $count })
meeting-delegation = الوفد
meeting-no-attendance = لم يُسجَّل حضور.
meeting-record-outcome = تسجيل نتيجة
meeting-agenda-item = بند جدول الأعمال
meeting-new-item = بند جديد (العنوان أدناه)
meeting-new-item-title = عنوان البند الجديد
meeting-outcome = النتيجة
meeting-text = النص
meeting-adopted-by-field = اعتمده (رموز الأعضاء)
meeting-record = تسجيل
meeting-record-action = تسجيل بند عمل
meeting-no-item = لا شيء
meeting-owner = المسؤول (رمز العضو)
meeting-what = ماذا
meeting-line = خط الجهد
meeting-fulfilled-by = يُنجَز عبر (جزء في كل سطر:
meeting-record-action-submit = تسجيل بند العمل
meeting-follow-up = المتابعة
meeting-carry-over = ترحيل البنود المفتوحة من الاجتماع السابق للمجموعة

## الالتزامات
commitments-title = الالتزامات
commitments-count = { $count ->
    [zero] لا التزامات يحق لك قراءتها، و{ $overdue } متأخرة بتاريخ
    [one] التزام واحد يحق لك قراءته، و{ $overdue } متأخرة بتاريخ
    [two] التزامان يحق لك قراءتهما، و{ $overdue } متأخرة بتاريخ
    [few] { $count } التزامات يحق لك قراءتها، و{ $overdue } متأخرة بتاريخ
   *[other] { $count } التزامًا يحق لك قراءته، و{ $overdue } متأخرة بتاريخ
}
commitments-explain = . يتأخر الالتزام حين ينقضي يوم استحقاقه بتوقيت اجتماعه ولا يكون منجزًا ولا متروكًا ولا مستوفى؛ ويُحسب التقدم من المساهمات وتعهدات الصناديق وأهداف المؤشرات المرتبطة به.
commitments-group-by = التجميع حسب:
commitments-by-member = العضو
commitments-by-line = خط الجهد
commitments-partial-heading = تقدم جزئي:
commitments-partial-explain = بعض أجزاء بعض الالتزامات غير متاحة لك؛ ويُحسب تقدمها على الأجزاء التي يحق لك قراءتها.
commitments-no-line = (بلا خط جهد)
commitments-group-overdue = { $count ->
    [one] متأخر واحد
    [two] متأخران
    [few] { $count } متأخرة
   *[other] { $count } متأخرًا
}
commitments-col-status = الحالة
commitments-col-owner = المسؤول
commitments-col-commitment = الالتزام
commitments-col-due = الاستحقاق
commitments-col-made-at = قُطع في
commitments-overdue-flag = متأخر
commitments-partial = (جزئي)
commitments-and-later = { $count ->
    [one] واجتماع لاحق واحد
    [two] واجتماعان لاحقان
    [few] و{ $count } اجتماعات لاحقة
   *[other] و{ $count } اجتماعًا لاحقًا
}
commitments-none = لا التزام يحق لك قراءته.
commitment-state-open = مفتوح
commitment-state-on_track = يسير كما ينبغي
commitment-state-at_risk = معرّض للخطر
commitment-state-done = منجز
commitment-state-dropped = متروك
commitment-due-state = مستحق في { $due }، { $state }
commitment-progress = التقدم
commitment-partial-title = بعض الأجزاء غير متاحة لك
commitment-record-link = التفاصيل
commitment-part-hidden = جزء غير متاح لك
commitment-weight = (الوزن { $weight })
commitment-discussed-at = نوقش في:

## الملخص
digest-title = ملخصك
digest-feed-shown = موجز تقويمك (يظهر مرة واحدة؛ احفظه سرًا، فهو يقرأ باسمك):
digest-notices = الإشعارات
digest-unread = { $count ->
    [one] (واحد غير مقروء)
    [two] (اثنان غير مقروءين)
    [few] ({ $count } غير مقروءة)
   *[other] ({ $count } غير مقروء)
}
digest-notice-due_in_7_days = مستحق خلال ٧ أيام
digest-notice-due_tomorrow = مستحق غدًا
digest-notice-overdue = متأخر
digest-due-progress = مستحق في { $due }، التقدم { $progress }
digest-mark-read = تعليم الكل مقروءًا
digest-no-notice = لا إشعار لك.
digest-open-commitments = الالتزامات المفتوحة لـ{ $member }
digest-due-state-progress = مستحق في { $due }، { $state }، التقدم { $progress }
digest-no-open = لا التزام مفتوح لـ{ $member } يحق لك قراءته.
digest-calendar-feed = موجز التقويم
digest-calendar-explain = اشترك في الاجتماعات ومواعيد الاستحقاق التي يحق لك قراءتها من أي برنامج تقويم (iCalendar). يحمل العنوان رمزًا سريًا؛ وإبطاله يوقف كل العناوين التي أُنشئت قبله.
digest-make-address = إنشاء عنوان تقويم
digest-revoke = إبطال عناوين تقويمي

## تدقيق أطراف سجل ومراجعة تطابق (_screening.html)
screening-title = التدقيق في العقوبات
screening-review = مراجعة { $id }
screening-confirmed = مؤكَّد
screening-false-positive = إيجابي كاذب
screening-reason = السبب
screening-record-decision = تسجيل القرار
screening-stale = قديم: تغيّر قيد القائمة منذئذ؛ راجعه من جديد
screening-suppressed = (مكتوم: لن يُنبَّه إليه ثانية)
screening-for-born = لمولود في { $date }
screening-weak-alias = اسم مستعار ضعيف — للمراجعة
screening-weak-alias-cell = اسم مستعار ضعيف — للمراجعة
screening-alert = تنبيه: للمراجعة
screening-below-threshold = دون العتبة
screening-nothing = لا شيء للتدقيق هنا: لا شخص ولا منظمة ولا سفينة يحق لك قراءتها.
screening-explain = دُقّقت الأطراف في { $lists }. الدرجة { $threshold } فأكثر تطابق: خيط للمراجعة لا استنتاج؛ والشرح يبيّن السبب.
screening-party = الطرف
screening-listed-entry = القيد المدرج
screening-score = الدرجة
screening-decision = القرار
screening-why = السبب
screening-also-listed = مدرج أيضًا باسم
screening-match = تطابق
screening-no-match = لا تطابق
screening-near = { $count ->
    [one] (قيد مدرج واحد حصل على درجة دون العتبة)
    [two] (قيدان مدرجان حصلا على درجة دون العتبة)
    [few] ({ $count } قيود مدرجة حصلت على درجة دون العتبة)
   *[other] ({ $count } قيدًا مدرجًا حصل على درجة دون العتبة)
}
screening-no-lists = لا قوائم عقوبات محمّلة على هذه العقدة؛ شغّلها مع --sanctions PATH للتدقيق.
screening-failed = فشل التدقيق: { $detail }

## صفحة التدقيق
screen-no-lists = لا قوائم عقوبات محمّلة على هذه العقدة؛ شغّلها مع
screen-no-lists-end = للتدقيق.
screen-lead = الدرجة خيط للمراجعة لا استنتاج؛ والشرح يبيّن السبب.
screen-lists = القوائم
screen-col-list = القائمة
screen-col-published = تاريخ النشر
screen-col-entries = القيود
screen-col-loaded = تاريخ التحميل
screen-col-since = منذ النسخة السابقة
screen-in-use = قيد الاستعمال
screen-undated = بلا تاريخ
screen-changes = أُضيف { $added }، وحُذف { $removed }، وتغيّر { $changed }
screen-since = منذ { $version }
screen-first-version = أول نسخة محمّلة
screen-rescreen-running = إعادة تدقيق أطراف السجلات المفتوحة بعد تحديث قائمة: { $done }٪ منجز.
screen-rescreen-reload = تحديث
screen-rescreen-done = أُعيد تدقيق أطراف السجلات المفتوحة بعد آخر تحديث للقائمة ({ $when })؛ تُظهر تغييرات القائمة ما وُجد.
screen-rescreen-stopped = توقفت إعادة التدقيق بعد آخر تحديث للقائمة مع توقف العقدة؛ وتُستأنف عند التشغيل التالي.
screen-rescreen-failed = فشلت إعادة التدقيق بعد آخر تحديث للقائمة: { $why }
screen-party = تدقيق طرف
screen-birth-date = تاريخ الميلاد (اختياري)
screen-birth-date-hint = YYYY أو YYYY-MM أو YYYY-MM-DD
screen-nationality = الجنسية (اختياري)
screen-schema = نوع الطرف
screen-schema-any = الكل
screen-submit = تدقيق
screen-results-for = نتائج
screen-alerts-of-results = { $alerts ->
    [zero] لا تنبيهات
    [one] تنبيه واحد
    [two] تنبيهان
    [few] { $alerts } تنبيهات
   *[other] { $alerts } تنبيهًا
} من { $count ->
    [one] نتيجة واحدة
    [two] نتيجتين
    [few] { $count } نتائج
   *[other] { $count } نتيجة
}.
screen-no-result = لم يحصل أي قيد مدرج على درجة قريبة من هذا الطرف.
screen-batch = تدقيق دفعة (CSV)
screen-csv-header = سطر عناوين فيه
screen-csv-optionally = واختياريًا
screen-csv-at-most = ؛ { $max } سطر على الأكثر (UTF-8). لأكثر من ذلك، استعمل API أو
screen-upload = رفع ملف CSV
screen-paste = … أو الصق الأطراف بصيغة CSV
screen-batch-submit = تدقيق الدفعة
screen-download = تنزيل النتائج (CSV)
screen-batch-results = نتائج الدفعة
screen-batch-summary = { $rows ->
    [one] دُقّق طرف واحد
    [two] دُقّق طرفان
    [few] دُقّقت { $rows } أطراف
   *[other] دُقّق { $rows } طرفًا
}: { $hits ->
    [zero] لا تطابقات
    [one] تطابق واحد
    [two] تطابقان
    [few] { $hits } تطابقات
   *[other] { $hits } تطابقًا
}، { $alerts ->
    [zero] لا تنبيهات
    [one] تنبيه واحد
    [two] تنبيهان
    [few] { $alerts } تنبيهات
   *[other] { $alerts } تنبيهًا
}
screen-batch-truncated = { $count ->
    [one] (لا يظهر إلا التطابق الأول)
    [two] (لا يظهر إلا أول تطابقين)
    [few] (لا تظهر إلا أول { $count } تطابقات)
   *[other] (لا يظهر إلا أول { $count } تطابقًا)
}
screen-col-row-id = معرّف السطر
screen-decisions-of = قرارات { $member }
screen-decisions-own = لا تظهر إلا قرارات المراجعة الخاصة بـ{ $member }؛ وقرارات الأعضاء الآخرين لا تظهر هنا.
screen-col-by = من
screen-col-when = متى
screen-col-entry-since = القيد منذئذ
screen-entry-unchanged = لم يتغيّر
screen-entry-changed = تغيّر: القرار قديم
screen-entry-not_loaded = ليس في القوائم المحمّلة
screen-older-decisions = قرارات أقدم
screen-no-decisions = لم يسجّل { $member } أي قرار بعد.
screen-recorded = سُجّل: { $id } { $decision ->
    [confirmed] مؤكَّد
   *[other] إيجابي كاذب
} لـ{ $party }.

## ما تغيّر في نسخة من قائمة
screen-list-title = { $list } { $published }: التغييرات
screen-list-heading = { $list } { $published }: ما الذي تغيّر
screen-list-compared = مقارنةً بـ{ $list } { $previous }، النسخة المحمّلة قبلها. القرارات المتخذة على قيد تغيّر لم تعد سارية: تطابقاته تنبّه من جديد.
screen-list-back = العودة إلى التدقيق
screen-list-rescreened = السجلات المفتوحة المعاد تدقيقها
screen-list-rescreen-explain = دُقّقت أطراف السجلات المفتوحة (الكيانات القائمة، والمساهمات غير الملغاة) في { $count } قيد أضافته هذه النسخة أو غيّرته، في { $at }.
screen-list-matches = تطابقات على سجلات يحق لك قراءتها:
screen-list-no-match = لا تطابق على سجل يحق لك قراءته.
screen-list-col-record = السجل
screen-list-kind-entity = كيان
screen-list-kind-contribution = مساهمة
screen-list-changed-since = (تغيّر منذئذ: دُقّقت النسخة { $version })
screen-list-added = مضاف
screen-list-changed = متغيّر
screen-list-not-rescreened = لم يُعَد التدقيق بعد: تعيد العقدة تدقيق السجلات المفتوحة في الخلفية بعد تحميل نسخة جديدة.
screen-list-added-count = المضاف ({ $count })
screen-list-removed-count = المحذوف ({ $count })
screen-list-changed-count = المتغيّر ({ $count })
screen-list-col-reference = المرجع

## الإدارة: المستخدمون
admin-title = الإدارة
admin-users-title = الإدارة: المستخدمون
admin-only = لا يستعمل وحدة التحكم إلا مديرو العقدة.
admin-users = المستخدمون
admin-audit-log = سجل التدقيق
admin-node-peers = العقدة والأقران
admin-users-count = { $count ->
    [one] مستخدم واحد
    [two] مستخدمان
    [few] { $count } مستخدمين
   *[other] { $count } مستخدمًا
}
admin-locked-out-count = { $count ->
    [one] واحد محظور
    [two] اثنان محظوران
    [few] { $count } محظورين
   *[other] { $count } محظورًا
}
admin-locked-explain = حاليًا (كلمات مرور خاطئة كثيرة: تطول كل محاولة عن سابقتها)
admin-adding-users = والأمر نفسه من سطر الأوامر:
admin-col-user = المستخدم
admin-col-role = الدور
admin-col-status = الحالة
admin-col-failed-logins = محاولات الدخول الفاشلة
admin-col-act = إجراء
admin-role-viewer = مطّلع
admin-role-contributor = مساهم
admin-role-coordinator = منسّق
admin-role-admin = مدير
admin-disabled = معطَّل
admin-locked-out = محظور
admin-for-seconds = لمدة { $seconds } ث
admin-active = نشط
admin-failures = { $count }، آخرها في
admin-no-failures = لا شيء
admin-unlock = رفع الحظر
admin-unlock-user = رفع الحظر عن { $user }
admin-enable = تفعيل
admin-enable-user = تفعيل { $user }
admin-disable = تعطيل
admin-disable-user = تعطيل { $user }
admin-done-unlock = رُفع الحظر عن { $user }: يُسمح بالدخول التالي فورًا.
admin-done-disable = عُطّل { $user }؛ وأُنهيت جلساته ورموزه.
admin-done-enable = فُعّل { $user }.
admin-not-done = لم يُنفَّذ
admin-not-yourself = لا يمكنك تعطيل حسابك أو تفعيله؛ اطلب ذلك من مدير آخر.
admin-no-such-action = لا إجراء بهذا الاسم على مستخدم.

## الإدارة: سجل التدقيق
admin-audit-title = الإدارة: سجل التدقيق
audit-explain = ما يحق لك رؤيته بصفتك مديرًا: قيود تشغيل العقدة (الدخول والمستخدمون والرموز والسجل والقوائم) والقيود عن السجلات التي يحق لـ{ $member } قراءتها؛ ولا محتوى أي سجل أبدًا.
audit-verify = يتحقق من سلسلة التجزئة.
audit-action-starts = الإجراء يبدأ بـ
audit-actor = الفاعل
audit-actor-placeholder = اسم المستخدم
audit-subject = الموضوع
audit-subject-placeholder = معرّف السجل أو اسم المستخدم
audit-filter = تصفية
audit-col-when = متى (UTC)
audit-col-action = الإجراء
audit-col-detail = التفاصيل
audit-none = لا قيد مما يحق لك رؤيته يطابق هذه المرشحات.
audit-older = قيود أقدم

## العقدة والأقران
peers-title = العقدة والأقران
peers-only = لا يرى أقران العقدة ويديرهم إلا مديروها.
peers-node = العقدة
peers-speaks-for = تتحدث باسم
peers-public-url = العنوان العام
peers-key = المفتاح
peers-fingerprint = البصمة
peers-key-none = لا شيء بعد: يُنشأ حين تُشغَّل العقدة (
peers-key-none-or = ) أو عبر
peers-added-peer = أُضيف القرين
peers-added = . أعطِ مشغّله بيانات الاعتماد هذه؛ تظهر
peers-once = مرة واحدة
peers-hash-kept = ولا يُحفظ إلا تجزئتها:
peers-peers = الأقران
peers-col-fingerprint = بصمة المفتاح
peers-col-state = الحالة
peers-col-pulling = السحب
peers-col-actions = الإجراءات
peers-unsigned-import = خادم TAXII عادي، استيراد غير موقّع للمجموعة
peers-retired-keys = مفاتيح متقاعدة: { $count } (ما زالت موثوقة لما وقّعته)
peers-paused = متوقف مؤقتًا
peers-active = نشط
peers-relay-explain = الترحيل مفعّل: سجلات CLEAR وGREEN من العقد الأخرى تمر عبره ذهابًا وإيابًا
peers-registry-source = عقدة الأمانة: يُطبَّق سجلها هنا
peers-not-connected = غير متصل: الصق بيانات الاعتماد التي أصدرها مشغّله لهذه العقدة
peers-credential-label = بيانات الاعتماد التي أصدرها { $peer } لهذه العقدة
peers-connect = اتصال
peers-position = الموضع
peers-position-of = { $cursor } من { $high }
peers-behind = متأخر بـ{ $records } رقمًا تسلسليًا، { $seconds } ث
peers-in-step = متزامن
peers-applied = المطبَّق
peers-last-success = آخر نجاح
peers-never = أبدًا
peers-last-error = آخر خطأ
peers-refused = المرفوض
peers-action-pause = إيقاف مؤقت
peers-action-resume = استئناف
peers-action-remove = إزالة
peers-action-relay-on = تفعيل الترحيل
peers-action-relay-off = إيقاف الترحيل
peers-new-key-label = المفتاح العام الجديد لـ{ $peer }
peers-after-rotated = بعد تدويره
peers-set-key = تعيين المفتاح
peers-none = لا أقران بعد. أضف واحدًا بالمفتاح الذي يقرؤه مشغّله من
peers-add = إضافة قرين
peers-member-hosted = العضو الذي يستضيفه
peers-public-key = المفتاح العام
peers-as-its = كما يطبعه
peers-prints-it = لديه
peers-unsigned-label = أو، لخادم TAXII 2.1 عادي (ليس عقدة coalesce؛ والعنوان هو جذر API لديه): المجموعة المراد استيرادها
peers-unsigned-hint = لا تحمل كائناته توقيع coalesce وتُستورد للعضو أعلاه
peers-add-submit = إضافة القرين
peers-no-such-action = لا إجراء بهذا الاسم على قرين.

## تقديم تقرير، الخطوة الأولى: نوعه
report-form-step-kind = عمّ تبلّغ؟
report-form-continue = متابعة
report-kind-about-foreign-fighter-travel = سفر شخص إلى مناطق النزاع أو منها: المسار (المنشأ والعبور والوجهة) وتواريخه والوثائق المستخدمة.
report-kind-about-financing = الأموال أو السلع التي تموّل داعش: السلعة (النفط الخام، المنتجات المكررة، النقد، الآثار) والكميات والمدفوعات والمسار.
report-kind-about-situation-report = ما حدث وأين ومتى: نص فقط، مع الأشخاص والمنظمات والسفن المعنية.
report-kind-about-counter-messaging = روايات داعش والقنوات التي تنقلها، والرد عليها.
report-kind-about-stabilisation-assessment = حال منطقة حُرّرت من داعش: الاحتياجات والخدمات والعودة؛ نص فقط.

## صفحة التزام
commitment-parts-heading = ما يُقاس به
commitment-version = الإصدار { $version }
commitment-as-json = السجل بصيغة JSON (واجهة البرمجة)

## الإدارة: أدوار المستخدمين وكلمات مرورهم، ورموز واجهة البرمجة
admin-tokens = رموز واجهة البرمجة
admin-tokens-title = الإدارة: رموز واجهة البرمجة
admin-tokens-explain = يتيح رمز واجهة البرمجة لبرنامج (لوحة متابعة، أو نص برمجي، أو عميل TAXII) أن يعمل باسم مستخدم، فلا يقرأ إلا ما يحق لذلك المستخدم قراءته؛ ولا تحتفظ العقدة إلا ببصمته. ألغِ الرمز الذي لم يعد مستخدمًا أو ربما تسرّب.
admin-token-label = ما يستخدمه
admin-token-created = صدر في
admin-token-expires = صالح حتى
admin-token-never = حتى الإلغاء
admin-token-id = المعرّف
admin-revoke = إلغاء
admin-revoke-token = إلغاء الرمز «{ $label }» الخاص بـ { $user }
admin-tokens-none = لا يوجد رمز لواجهة البرمجة.
admin-issue-token = إصدار رمز
admin-token-label-hint = ما سيستخدمه، للتعرّف عليه في هذه القائمة (مثل: لوحة متابعة بغداد).
admin-token-days = مدة الصلاحية (بالأيام)
admin-token-days-hint = فارغ: حتى الإلغاء. 3660 على الأكثر.
admin-token-days-invalid = مدة صلاحية الرمز عدد صحيح من الأيام بين 1 و3660، أو فارغة لتبقى حتى الإلغاء.
admin-issue-token-submit = إصدار الرمز
admin-shown-token = رمز جديد لواجهة البرمجة لـ { $user }:
admin-shown-reset = كلمة المرور الجديدة لـ { $user }:
admin-shown-new-user = أُضيف { $user }؛ كلمة مروره:
admin-shown-once = تُعرض هذه المرة فقط: لا تحتفظ العقدة إلا ببصمتها. سلّمها عبر قناة غير هذه.
admin-done-revoke = أُلغي الرمز «{ $label }» الخاص بـ { $user }.
admin-done-role = لـ { $user } دوره الجديد؛ وأُنهيت جلساته.
admin-role-of = دور { $user }
admin-change-role-of = تغيير دور { $user }
admin-change = تغيير
admin-reset = إعادة تعيين كلمة المرور
admin-reset-user = إعادة تعيين كلمة المرور لـ { $user }
admin-add-user = إضافة مستخدم
admin-username-hint = من 2 إلى 64 حرفًا لاتينيًا صغيرًا أو رقمًا أو نقطة أو شرطة أو شرطة سفلية (مثل j.smith).
admin-add-user-submit = إضافة المستخدم
report-withdraw = سحب هذا التقرير

# البيانات الشخصية: الاحتفاظ والحذف
report-form-retain-until = الاحتفاظ بالبيانات الشخصية حتى (التقارير عن الأشخاص)
report-form-retain-until-hint = إذا تُرك فارغًا: { $days } يومًا من اليوم، وهي القيمة الافتراضية للعقدة. في اليوم التالي تُحذف الأسماء والوثائق وبيانات السفر الواردة فيه، في كل مكان شورك فيه.
personal-kept = البيانات الشخصية
personal-kept-until = يُحتفظ بالبيانات الشخصية حتى { $date }
personal-purged-on = حُذفت البيانات الشخصية في { $date }: ما تبقى لا يسمّي أحدًا.
personal-purge-now = حذف البيانات الشخصية الآن
personal-purge-explain = يزيل الأسماء والوثائق وبيانات السفر من هذا السجل ومن كل نسخه السابقة، هنا وفي كل عقدة تحتفظ به. لا يمكن التراجع عن ذلك.
personal-purge-title = حذف البيانات الشخصية
personal-purge-what-report = يحتفظ التقرير بنوعه ومحور عمله وتصنيفه ووقت إيداعه؛ وتُحذف روابطه بالأشخاص ووثائقه، ويفقد تقرير السفر أيضًا عنوانه ونصه وتاريخه ومساره.
personal-purge-what-entity = يُحذف اسم الشخص وأسماؤه الأخرى وتاريخ ميلاده وجنسيته ووثائقه، ويُسحب الشخص.
personal-purge-confirm = احذف الآن
personal-purge-keep = احتفظ به
report-edit = تعديل هذا التقرير
report-edit-title = تعديل التقرير
report-save-submit = الحفظ كنسخة جديدة
report-edit-links-kept = تبقى روابطه بالأشخاص والمنظمات والسفن كما هي:
report-edit-no-links = لا شيء
report-conflict-heading = حفظ شخص آخر هذا التقرير بينما كنت تعدّله
meeting-edit-title = تعديل الاجتماع
meeting-edit-cancel = العودة إلى الاجتماع دون حفظ
meeting-edit-tz-hint = البداية والنهاية بتوقيت المنطقة الزمنية للاجتماع (اسم IANA مثل Europe/London أو Asia/Baghdad).
meeting-edit-chair-host = المضيف يترأس
meeting-edit-attendance = الحضور
meeting-edit-attendance-hint = سطر لكل عضو حاضر؛ اترك العضو فارغًا لحذف السطر.
meeting-edit-member = العضو
meeting-edit-delegation = الوفد (عدد الأشخاص)
meeting-edit-agenda = جدول الأعمال
meeting-edit-agenda-hint = تحتفظ البنود بأرقامها: تشير إليها القرارات وبنود العمل. تأتي البنود الجديدة بعدها.
meeting-edit-item = البند { $number }
meeting-edit-new-items = بنود جديدة، بند في كل سطر
meeting-conflict-heading = حفظ شخص آخر هذا الاجتماع بينما كنت تعدّله
meeting-withdraw = سحب الاجتماع
meeting-versions-title = إصدارات اجتماع
meeting-col-when = الموعد (بالتوقيت المحلي)
meeting-col-attending = الحضور
meeting-col-agenda = جدول الأعمال
meeting-field-meeting_type = نوع الاجتماع
meeting-field-title = العنوان
meeting-field-place = المكان
meeting-field-starts = البداية
meeting-field-ends = النهاية
meeting-field-time_zone = المنطقة الزمنية
meeting-field-host = المضيف
meeting-field-chair = الرئاسة
meeting-field-group = المجموعة
meeting-field-tlp = مستوى TLP
meeting-field-rel_to = قابل للإفراج إلى
meeting-edit-attendee = الحاضر { $number }
commitment-edit = تغيير حالته أو شروطه
commitment-edit-title = تعديل التزام
commitment-edit-cancel = العودة إلى الالتزام دون حفظ
commitment-edit-reason-hint = فقط لالتزام متروك، وعندها يكون إلزاميًا.
commitment-edit-parts-kept = ما يحققه (أجزاؤه) والاجتماعات التي ناقشته تبقى كما هي.
commitment-conflict-heading = حفظ شخص آخر هذا الالتزام بينما كنت تعدّله
statement-new = تسجيل بيان مشترك
statement-new-title = تسجيل بيان مشترك
statement-edit = تعديله
statement-edit-title = تعديل بيان مشترك
statement-versions = النسخ
statement-versions-title = نسخ بيان مشترك
statement-conflict-heading = حفظ شخص آخر هذا البيان بينما كنت تعدّله
statement-texts = نصه بكل لغة
statement-texts-hint = النص الأول هو الأصل. أعطِ كل لغة رمزها (en، ar، fr) وعنوانها وفقراتها: فقرة في كل كتلة، بينها أسطر فارغة، تبدأ كل منها برقمها («1. إن التحالف…»)، بالترقيم نفسه في كل لغة. الكتلة الفارغة تضيف لغة.
statement-text = النص
statement-original = الأصل
statement-record = تسجيل البيان
statement-withdraw = سحب هذا البيان
statement-cancel = العودة إلى الاجتماع دون حفظ
statement-field-adopted_on = اعتُمد في
statement-field-signatories = وقّعه
statement-field-source = مصدر النص
statement-field-language = اللغة
statement-field-title = العنوان
statement-field-paragraphs = الفقرات
statement-field-texts = النصوص
statement-field-tlp = مستوى TLP
statement-field-rel_to = قابل للإفراج إلى
statement-col-texts = اللغات
statement-col-wording = النص الأصلي
commitment-withdraw = سحب الالتزام
commitment-versions-title = إصدارات التزام
commitment-field-what = الالتزام
commitment-field-owner = المسؤول
commitment-field-due = الموعد النهائي
commitment-field-state = الحالة
commitment-field-dropped_reason = سبب التخلي عنه
commitment-field-line_of_effort = محور الجهد
commitment-field-tlp = مستوى TLP
commitment-field-rel_to = قابل للإفراج إلى
