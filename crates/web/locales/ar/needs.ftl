# needs: ar
# الاحتياجات والمساهمات و«من يفعل ماذا وأين» وخريطته، ولوحات متابعة خطوط
# الجهد، والمؤشرات، والتوزيع، والازدواجية، والسجل (الأعضاء والمجموعات
# وخطوط الجهد) والصناديق.

## كلمات تشترك فيها عدة صفحات من هذه الصفحات
needs-marking = التصنيف
needs-colon = :
needs-download = تنزيل:
needs-filter = تصفية
needs-next-page = الصفحة التالية
needs-line = خط الجهد
needs-category = الفئة
needs-item-category = فئة الصنف
needs-member = العضو
needs-group = المجموعة
needs-status = الحالة
needs-amount = المقدار
needs-requested = المطلوب
needs-requested-by = الجهة الطالبة
needs-pledged = المتعهَّد به
needs-committed-to-deliver = الملتزَم بتسليمه
needs-delivered = المُسلَّم
needs-gap = الفجوة
needs-requirement = الاحتياج
needs-contribution = المساهمة
needs-contributions = المساهمات
needs-who = مَن
needs-what = ماذا
needs-where = أين
needs-when = متى
needs-place = المكان
needs-window = الفترة الزمنية
needs-country = البلد
needs-title = العنوان
needs-description = الوصف
needs-date = التاريخ
needs-evidence = الإثبات
needs-pledge = تعهّد
needs-commit = إلزام
needs-none-yet = لا شيء بعد.
needs-none-you-may-read = لا شيء مما يحق لك قراءته.
needs-none-you-may-read-yet = لا شيء مما يحق لك قراءته بعد.
# حالة المساهمة (متعهَّد بها ← ملتزَم بها ← مُسلَّمة، أو ملغاة).
needs-status-pledged = متعهَّد بها
needs-status-committed = ملتزَم بها
needs-status-delivered = مُسلَّمة
needs-status-cancelled = ملغاة

## الاحتياجات
req-list-title = الاحتياجات
req-list-intro = ما يطلبه الشركاء، وما تم التعهد به منه والالتزام به وتسليمه.
req-list-contributions = المساهمات (من يفعل ماذا وأين)
req-any-member = أي عضو
req-mine = { $member } (جهتي)
req-download-all = كل الاحتياجات التي يحق لك قراءتها، CSV (HXL)
req-where-when = المكان والزمان
req-asked = المطلوب
req-met = مُلبّى
req-not-confirmed = لم تؤكده الجهة الطالبة بعد
req-list-none = لا احتياج مما يحق لك قراءته يطابق عوامل التصفية هذه.
req-post-one = انشر احتياجًا
req-recorded-by = { $requester } (سجّله { $origin })
req-awaiting = ؛ بانتظار تأكيد { $requester }، ولا يُوزَّع عليه شيء حتى ذلك الحين
req-priority = الأولوية
req-confirm-explain = سجّل { $origin } هذا الاحتياج باسم { $member }. لا يُوزَّع عليه شيء حتى يؤكد { $member } أنه يطلبه.
req-confirm = تأكيد أن { $member } يطلب هذا
req-figures = الأرقام
req-receipt-confirmed = المؤكَّد استلامه
req-over-committed = الالتزام الزائد
req-figures-note = لا تسدّ التعهداتُ الفجوةَ حتى يُلتزم بها. لا تحتسب الأرقام إلا المساهمات التي يحق لك قراءتها.
req-pledge-against = التعهد مقابل هذا الاحتياج
req-pledge-amount = المقدار ({ $unit })
req-pledge-amount-money = المبلغ ({ $unit }، مثلًا 250000.00)
req-form-title-errors = نشر احتياج (يلزم تصحيح { $count })
req-requesting-member = العضو الطالب
req-priority-most-urgent = { $n }، الأكثر إلحاحًا
req-priority-least-urgent = { $n }، الأقل إلحاحًا
req-post-submit = نشر الاحتياج

## حقلا المقدار والمكان في نماذج الاحتياجات
req-measure-legend = المقدار
req-measure-kind = عيني أو نقدي
req-measure-quantity = عيني (كمية من وحدة)
req-measure-money = نقدي (مبلغ بعملة)
req-measure-amount = الكمية، أو المبلغ بوحدات العملة (مثلًا 1500000.00)
req-measure-unit = الوحدة (مثلًا سترة، دورة، مستشار) أو عملة وفق ISO 4217 (مثلًا USD)
req-place-legend = المكان
req-place-country = البلد (ISO 3166-1 alpha-3)
req-place-admin1 = المحافظة أو منطقة أخرى من المستوى الأول (اختياري؛ اكتب اسمها بالإنجليزية أو الفرنسية أو العربية ثم اخترها)
req-place-pcode = رمز P-code الخاص بها (مثلًا IQG10؛ إن تُرك فارغًا يُبحث عنه باسم المحافظة)
req-place-town = البلدة (اختياري)
req-window-legend = الفترة الزمنية
req-window-from = من
req-window-until = حتى

## المساهمات
contrib-contributors = المساهمون
contrib-contributing-members = الأعضاء المساهمون (عضوك أولًا؛ وعدة أعضاء لمساهمة مشتركة)
contrib-recorded-by = { $contributors } (سجّلها { $origin })
contrib-proposed = ؛ مقترحة مشاركتهم ولم يؤكدوها بعد: { $members }
contrib-against = مقابل
contrib-requested-by = (طلبه { $member })
contrib-not-releasable = احتياج غير متاح لك
contrib-standalone = مستقلة
contrib-join-explain = يذكر { $origin } أن { $member } مساهم. لا تُحتسب لـ{ $member } حتى يؤكد { $member } ذلك.
contrib-join = تأكيد أن { $member } يساهم
contrib-parties = الأطراف
contrib-party-role = الدور
contrib-party-kind = النوع
contrib-party-name = الاسم
contrib-no-parties = لم يُسجَّل مورِّد أو ناقل أو مرسَل إليه أو طرف آخر.
contrib-save-parties = حفظ الأطراف
contrib-party-role-supplier = مورِّد
contrib-party-role-carrier = ناقل
contrib-party-role-consignee = مرسَل إليه
contrib-party-role-implementing_partner = شريك منفِّذ
contrib-party-role-financial_institution = مؤسسة مالية
contrib-party-role-other = آخر
contrib-deliveries = التسليمات
contrib-receipt = الاستلام
contrib-received-part = استُلم { $amount }
contrib-received-all = استُلم كله
contrib-received-on = في { $date }
contrib-confirmed-by = ، أكّده { $user } ({ $member })
contrib-received-of = المستلَم (من أصل { $amount })
contrib-arrived-on = تاريخ الوصول
contrib-receipt-note = ملاحظة (ما كان ناقصًا أو تالفًا)
contrib-confirm-receipt = تأكيد الاستلام
contrib-not-confirmed = غير مؤكَّد
contrib-move-on = نقلها إلى المرحلة التالية
contrib-delivered-on = تاريخ التسليم (YYYY-MM-DD)
contrib-amount-delivered = المقدار المُسلَّم ({ $unit }؛ يتبقى { $outstanding } للتسليم)
contrib-unit-major = { $unit } (بالوحدات الرئيسية)
contrib-evidence-hint = الإثبات (بوليصة الشحن، محضر التسليم …)
contrib-record-delivery = تسجيل التسليم
contrib-cancel = إلغاء المساهمة

## من يفعل ماذا وأين، وخريطته
who-title = من يفعل ماذا وأين
who-see-map = عرضها على الخريطة
who-count = { $count ->
    [one] مساهمة مما يحق لك قراءته تطابق عوامل التصفية.
    [two] مساهمتان مما يحق لك قراءته تطابقان عوامل التصفية.
    [few] مساهمات مما يحق لك قراءته تطابق عوامل التصفية.
    [many] مساهمةً مما يحق لك قراءته تطابق عوامل التصفية.
   *[other] مساهمة مما يحق لك قراءته تطابق عوامل التصفية.
}
who-import-csv = استيراد CSV
who-delivered = سُلِّم { $amount }
who-none = لا مساهمات مما يحق لك قراءته تطابق عوامل التصفية هذه.
who-totals-by-member = المجاميع حسب العضو
who-area-pcode = رمز المنطقة (P-code)
who-no-contributions = لا مساهمات مما يحق لك قراءته.
map-title = خريطة من يفعل ماذا وأين
map-see-table = عرضها في جدول
map-explain = تُلوَّن كل محافظة بحسب أقل احتياجاتها تغطيةً مما يحق لك قراءته ضمن خط الجهد والفئة والمكان المختارة؛ أما عاملا التصفية بالعضو والحالة فيضيّقان نطاق المساهمات. لا تُحتسب التعهدات تغطيةً حتى يُلتزم بها.
map-more = لا يُحتسب إلا أحدث { $cap } من الاحتياجات: ضيّق عوامل التصفية لرؤية البقية.
map-svg-title = المحافظات ملوّنة بحسب مدى تغطية احتياجاتها
map-legend-unmet = غير ملبّاة (لا شيء مؤكَّد بعد)
map-legend-active = مساهمات دون احتياج
map-legend-none = لم يُسجَّل شيء
map-cov-unmet = غير ملبّاة
map-cov-partly = مغطّاة جزئيًا
map-cov-covered = مغطّاة
map-not-bundled = لا يقع أيٌّ من هذه الأماكن ضمن الحدود المرفقة (العراق وسوريا)، لذا تُدرج أدناه فقط.
map-nothing = لا احتياج ولا مساهمة مما يحق لك قراءته لها محافظة بعد.
map-nothing-post = مع محافظته ورمز P-code الخاص بها، فيظهر هنا.
map-governorate = المحافظة
map-coverage = التغطية
map-requirements = الاحتياجات
map-unmet = غير ملبّاة
map-partly = مغطّاة جزئيًا
map-covered = مغطّاة
map-not-on-map = ليست على الخريطة
map-no-requirement = لا احتياج
map-country-only = محدَّدة المكان بالبلد فقط، لذا ليست على الخريطة: { $requirements ->
    [zero] لا احتياج
    [one] احتياج واحد
    [two] احتياجان
    [few] { $requirements } احتياجات
    [many] { $requirements } احتياجًا
   *[other] { $requirements } احتياج
} و{ $contributions ->
    [zero] لا مساهمة
    [one] مساهمة واحدة
    [two] مساهمتان
    [few] { $contributions } مساهمات
    [many] { $contributions } مساهمةً
   *[other] { $contributions } مساهمة
}.
# ما يقوله شكل المنطقة عند الإشارة إليه.
map-area-requirements = { $count ->
    [zero] لا احتياجات
    [one] احتياج واحد
    [two] احتياجان
    [few] { $count } احتياجات
    [many] { $count } احتياجًا
   *[other] { $count } احتياج
}: { $unmet } غير ملبّاة، { $partly } مغطّاة جزئيًا، { $covered } مغطّاة
map-area-contributions = { $count ->
    [zero] لا مساهمات
    [one] مساهمة واحدة
    [two] مساهمتان
    [few] { $count } مساهمات
    [many] { $count } مساهمةً
   *[other] { $count } مساهمة
} من { $members }
map-area-nothing = { $area }: لم يُسجَّل شيء

## الاستيراد (CSV وSTIX)
import-title = الاستيراد
import-csv-intro = الصق ملف CSV يحمل وسوم HXL في صفه الثاني — بالصيغة التي تأتي بها ملفات التصدير
# ملفات التصدير التي يقبلها الاستيراد، مرتبطة من الجملة أعلاه.
import-csv-requirements = الاحتياجات
import-csv-contributions = المساهمات
import-csv-indicator-values = قيم المؤشرات
import-all-or-nothing = يُستورد الملف كاملًا أو لا يُستورد شيء منه: إذا كان أي صف خاطئًا، تُسرد كل الصفوف الخاطئة ولا يُكتب شيء.
# مقسَّمة حول الرابط إلى تصدير STIX؛ وتضيف الصفحة مساره /taxii2/.
import-stix-intro = أو الصق حزمة STIX 2.1: يُتحقَّق من كل كائن وتُكتب الحزمة كاملةً أو لا تُكتب على الإطلاق. تُحفظ التصنيفات — تعريفات تصنيف TLP 2.0، وREL TO بوصفه امتداد تعريف التصنيف الخاص بـcoalesce (بالصيغة التي يكتبها
import-stix-export = تصدير STIX
import-stix-after = نفسه)؛ الكائن الذي لا يحمل TLP يُعدّ TLP:AMBER، والذي لا يحمل REL TO يقتصر على عضوك. يقدّم خادم TAXII 2.1 التابع للعقدة الكائناتِ المستوردة على العنوان
import-done-records = { $count ->
    [zero] لم يُستورد أي سجل.
    [one] استُورد سجل واحد.
    [two] استُورد سجلان.
    [few] استُوردت { $count } سجلات.
    [many] استُورد { $count } سجلًا.
   *[other] استُورد { $count } سجل.
}
import-done-objects = { $count ->
    [zero] لم يُستورد أي كائن.
    [one] استُورد كائن واحد.
    [two] استُورد كائنان.
    [few] استُوردت { $count } كائنات.
    [many] استُورد { $count } كائنًا.
   *[other] استُورد { $count } كائن.
}
import-done-objects-held = { $count ->
    [zero] لم يُستورد أي كائن
    [one] استُورد كائن واحد
    [two] استُورد كائنان
    [few] استُوردت { $count } كائنات
    [many] استُورد { $count } كائنًا
   *[other] استُورد { $count } كائن
}؛ عدد ما كان محفوظًا منها من قبل: { $held }.
import-line = السطر
import-object = الكائن
import-column = العمود
import-reason = السبب
import-records = السجلات
# ما يُستورد، كما يعرضه النموذج.
import-what-requirements = الاحتياجات
import-what-contributions = المساهمات
import-what-indicator-values = قيم المؤشرات
import-what-stix-bundle = حزمة STIX
import-csv-label = CSV، أو حزمة STIX (JSON)
import-submit = استيراد
import-stage-reading = قراءة الملف والتحقق منه
import-stage-writing = كتابة الصفوف
import-done-of = كُتب { $done } من { $total }
import-refreshes = تتحدث هذه الصفحة من تلقاء نفسها.
import-stopping = يتوقف بعد الدفعة الجارية.
import-cancel = إلغاء الاستيراد
import-cancel-explain = يتوقف بعد الدفعة الجارية؛ وتبقى الصفوف المكتوبة حتى ذلك الحين.
import-no-job = لا يوجد استيراد كهذا (تُنسى عمليات الاستيراد عند إعادة تشغيل العقدة).

## لوحة متابعة خط الجهد
dash-who = من يفعل ماذا وأين في خط الجهد هذا
dash-duplication = الازدواجية
dash-indicators = المؤشرات
dash-requirements = الاحتياجات
dash-legend-delivered = مُسلَّم
dash-legend-committed = ملتزَم به
dash-legend-pledged = متعهَّد به
dash-legend-gap = الفجوة (ما لم يُلتزم به أو يُسلَّم بعد)
dash-legend-requested = مطلوب
dash-progress = التقدم
dash-priority = الأولوية { $n }
dash-figures = متعهَّد به { $pledged } · ملتزَم به { $committed } · مُسلَّم { $delivered }
dash-no-requirements = لا احتياجات مفتوحة مما يحق لك قراءته.
dash-recent-deliveries = أحدث التسليمات
dash-by = بواسطة
dash-receipt-confirmed = الاستلام مؤكَّد
dash-no-deliveries = لا تسليمات مما يحق لك قراءته.
dash-trend = الاتجاه
dash-nothing-yet = لا شيء بعد.
dash-by-member = حسب العضو
dash-by-category = حسب الفئة
# مخطط الاتجاه.
dash-trend-title = المساهمات المتعهَّد بها والتسليمات المنجزة شهريًا
dash-trend-unit = العدد
dash-trend-pledged = تعهدات
dash-trend-deliveries = تسليمات

## المؤشرات
ind-title = المؤشرات
ind-figures-note = لا تحتسب الأرقام إلا القيم التي يحق لك قراءتها.
ind-no-value = { $name }: لم يُبلَّغ عن أي قيمة بعد.
ind-no-value-target = { $name }: لم يُبلَّغ عن أي قيمة بعد؛ والهدف { $target }.
ind-as-of = بتاريخ { $date }
ind-no-values = لا قيم مما يحق لك قراءته
ind-target-is = الهدف { $target }
ind-progress-is = التقدم { $progress }
ind-none-defined = لم تُعرَّف أي مؤشرات بعد.
ind-target-by = { $value } بحلول { $date }
ind-percent = { $n }٪
ind-reported = { $name } (المُبلَّغ عنه)
ind-target-line = الهدف { $value }
ind-agg-sum = المجموع
ind-agg-last = آخر قيمة
ind-agg-max = أعلى قيمة
ind-direction-increase = الزيادة تقدّم
ind-direction-decrease = الانخفاض تقدّم
ind-unit = الوحدة
ind-aggregation = التجميع
ind-baseline = خط الأساس
ind-actual = الفعلي
ind-target = الهدف
ind-progress = التقدم
ind-reported-values = القيم المُبلَّغ عنها
ind-observed = تاريخ الرصد
ind-value = القيمة
ind-source = المصدر
ind-note = ملاحظة
ind-report-value = الإبلاغ عن قيمة
ind-observed-on = تاريخ الرصد (YYYY-MM-DD)
ind-value-in = القيمة ({ $unit })
ind-note-source = ملاحظة / مصدر
ind-report = إبلاغ
ind-def-new = تعريف مؤشر
ind-def-edit = تعديل تعريفه
ind-def-new-title = تعريف مؤشر
ind-def-edit-title = تعديل تعريف مؤشر
ind-def-explain = المؤشرات هي الفهرس المشترك للتحالف: يبلّغ كل عضو عن قيمه وفق التعريف نفسه. يعرّفها المنسقون.
ind-def-slug = المعرّف
ind-def-slug-hint = أحرف لاتينية صغيرة وأرقام وشرطات (territory-held)؛ لا يتغير أبدًا.
ind-def-slug-fixed = المعرّف: { $slug } (لا يتغير أبدًا).
ind-def-name = الاسم
ind-def-description = ما يقيسه ومن أين تأتي أرقامه
ind-def-unit-hint = ما تعدّه القيمة: غارات، كم²، ٪، أشخاص.
ind-def-line = محور الجهد
ind-def-direction = في أي اتجاه يكون التقدم
ind-def-aggregation-hint = المجموع: كل قيمة عدد لفترتها، والرقم مجموعها؛ الأخيرة: كل قيمة قراءة للكل، والرقم أحدثها؛ الأعلى: أعلى قراءة حتى الآن.
ind-def-baseline-date = تاريخ خط الأساس
ind-def-targets = الأهداف
ind-def-targets-hint = واحد في كل سطر: التاريخ والقيمة المطلوب بلوغها بحلوله (2016-12-31 20000)، كل منها أبعد من خط الأساس في اتجاه التقدم.
ind-def-save = حفظ التعريف
ind-def-cancel = العودة دون حفظ

## التوزيع
alloc-title = التوزيع
alloc-intro = يوزّع المحرّك التعهدات المستقلة (العروض) على الاحتياجات المفتوحة توزيعًا أمثل: أكبر قدر من التسليم، مرجَّحًا بالأولوية، بأقل تكلفة (مهلة التوريد، والمسافة، والتجزئة). يلبّي العرضُ احتياجًا من فئة الصنف نفسها والوحدة نفسها، في المكان الذي يحدده، ضمن فترة زمنية متداخلة، ولخط الجهد الخاص به. لا يدخل في الحساب إلا ما يحق لك قراءته.
alloc-running = قيد التشغيل
alloc-started = بدأه { $by } في { $at }: { $stage }
alloc-done-of = ({ $done } من { $total })
alloc-steps = { $done ->
    [one] (خطوة واحدة)
    [two] (خطوتان)
    [few] ({ $done } خطوات)
    [many] ({ $done } خطوةً)
   *[other] ({ $done } خطوة)
}
alloc-stopping = جارٍ الإيقاف…
alloc-refreshes = تُحدَّث هذه الصفحة حتى ينتهي.
alloc-cancel-run = إلغاء التشغيل
alloc-cancelled = أُلغي التشغيل الذي بدأه { $by } في { $at }؛ ولم يُحتفظ بشيء.
alloc-failed = فشل التشغيل الذي بدأه { $by } في { $at }: { $error }
alloc-run-now = تشغيل التوزيع الآن
alloc-latest-run = آخر تشغيل
alloc-run-summary = { $at } بواسطة { $by }: { $requirements ->
    [zero] لا احتياج مفتوح
    [one] احتياج مفتوح واحد
    [two] احتياجان مفتوحان
    [few] { $requirements } احتياجات مفتوحة
    [many] { $requirements } احتياجًا مفتوحًا
   *[other] { $requirements } احتياج مفتوح
} و{ $offers ->
    [zero] لا عرض
    [one] عرض واحد
    [two] عرضان
    [few] { $offers } عروض
    [many] { $offers } عرضًا
   *[other] { $offers } عرض
} مما يحق لك قراءته،
alloc-pairs-hidden = لا تُعرض الأزواج المتوافقة (شمل التشغيل سجلات لم يعد يحق لك قراءتها)
alloc-pairs = { $count ->
    [zero] لا أزواج متوافقة
    [one] زوج متوافق واحد
    [two] زوجان متوافقان
    [few] { $count } أزواج متوافقة
    [many] { $count } زوجًا متوافقًا
   *[other] { $count } زوج متوافق
}
alloc-proposal-count = { $count ->
    [one] مقترح
    [two] مقترحان
    [few] مقترحات
    [many] مقترحًا
   *[other] مقترح
}
alloc-gap-count = { $count ->
    [one] احتياج بقيت فيه فجوة.
    [two] احتياجان بقيت فيهما فجوة.
    [few] احتياجات بقيت فيها فجوة.
    [many] احتياجًا بقيت فيه فجوة.
   *[other] احتياج بقيت فيه فجوة.
}
alloc-proposals = المقترحات
alloc-offer = العرض
alloc-why = لماذا
alloc-decision = القرار
alloc-reason = السبب
alloc-accept = قبول
alloc-reject = رفض
alloc-decided-by = بواسطة { $user }
alloc-commitment = الالتزام
alloc-no-proposals = لا مقترحات: لا يناسب أيُّ عرض مما يحق لك قراءته احتياجًا مفتوحًا مما يحق لك قراءته.
alloc-gaps = الفجوات
alloc-missing = ينقص { $missing } من أصل { $requested }
alloc-no-gaps = لا شيء: كل احتياج مفتوح مغطّى.
alloc-surplus = الفائض
alloc-surplus-explain = عروض لم تستوعبها الاحتياجات المفتوحة كاملةً (التزام زائد، أو لا احتياج متوافق بعد).
alloc-surplus-left = يتبقى { $surplus } من أصل { $offered } (اقتُرح منه { $allocated })
alloc-no-surplus = لا شيء: كل عرض مستخدَم بالكامل.
alloc-no-run = لم يجرِ أي تشغيل بعد.
alloc-mine = مقترحات لعروض { $member }
# حالة المقترح.
alloc-status-proposed = مقترَح
alloc-status-accepted = مقبول
alloc-status-rejected = مرفوض
alloc-status-committed = ملتزَم به
# ما يفعله التوزيع الجاري.
alloc-stage-loading = قراءة الاحتياجات والعروض
alloc-stage-model = بناء المسألة
alloc-stage-pairs = إيجاد العروض والاحتياجات المتوافقة
alloc-stage-solving = الحل
alloc-stage-explaining = تعليل المقترحات والفجوات
alloc-stage-saving = حفظ التشغيل
alloc-stage-working = قيد العمل

## الازدواجية
dup-title = الازدواجية
dup-note = محسوبة فقط على ما يحق لك قراءته.
dup-over = احتياجات عُرض عليها أكثر مما طلبت
dup-offered = المعروض (متعهَّد به، ملتزَم به، مُسلَّم)
dup-overlapping = مساهمات متداخلة دون احتياج
dup-overlapping-note = فئة الصنف نفسها، والمكان نفسه، وفترات زمنية متداخلة.

## السجل: خطوط الجهد والأعضاء والمجموعات
reg-lines-title = خطوط الجهد
reg-members-title = الأعضاء
reg-members-count = الأعضاء ({ $count })
reg-code = الرمز
reg-name = الاسم
reg-kind = النوع
reg-role = الدور
reg-joined = تاريخ الانضمام
reg-kind-state = دولة
reg-kind-organisation = منظمة
reg-role-member = عضو
reg-role-partner = شريك
reg-groups-title = المجموعات
reg-groups = المجموعات
reg-group = المجموعة
reg-members = الأعضاء
reg-group-kind-small_group = مجموعة صغيرة
reg-group-kind-working_group = فريق عامل
reg-group-kind-task_force = فرقة عمل
reg-group-kind-community = مجتمع
reg-group-marking = إذا ورد في التصنيفات شمل أعضاءها.
reg-member-contributions = { $count ->
    [one] مساهمة مما يحق لك قراءته، حسب خط الجهد:
    [two] مساهمتان مما يحق لك قراءته، حسب خط الجهد:
    [few] مساهمات مما يحق لك قراءته، حسب خط الجهد:
    [many] مساهمةً مما يحق لك قراءته، حسب خط الجهد:
   *[other] مساهمة مما يحق لك قراءته، حسب خط الجهد:
}
reg-with = مع
reg-all-in-who = عرضها كلها في «من يفعل ماذا وأين»

## الصناديق
fund-title = الصناديق
fund-intro = صناديق مجمَّعة يدفع إليها أعضاء التحالف، وما تموّله. تعرض صفحة كل صندوق جدول حالته ومخططاته بناءً على التحويلات التي يحق لك قراءتها.
fund-fund = الصندوق
fund-agent = الوكيل الإداري
fund-base-currency = العملة الأساسية
fund-opened = تاريخ الافتتاح
fund-none = لا صندوق مما يحق لك قراءته.
fund-agent-is = الوكيل الإداري:
fund-terms = افتُتح في { $opened }. العملة الأساسية { $base }؛ رسوم الوكيل { $fee }٪ من كل إيداع، والتكاليف غير المباشرة للمنظمات { $indirect }٪ من كل تحويل.
fund-partial-label = مجاميع جزئية:
fund-partial = بعض تحويلات هذا الصندوق غير متاحة لك؛ الأرقام أدناه هي أرقام التحويلات التي يحق لك قراءتها.
fund-status = حالة الصندوق
fund-sources = المصادر
fund-uses = الاستخدامات
fund-balances = الأرصدة
fund-caption-base = بـ{ $currency }، كل تحويل بسعر صرف تاريخ قيمته
fund-caption-currency = كما سُجّلت بـ{ $currency }
fund-charts = المخططات
fund-windows = النوافذ
fund-projects = المشاريع
fund-code = الرمز
fund-project = المشروع
fund-window = النافذة
fund-place-pcode = المكان (P-code)
fund-organisation = المنظمة
fund-budget = الميزانية
fund-no-project = لا مشروع مما يحق لك قراءته.
fund-latest-transfers = أحدث التحويلات
fund-id = المعرّف
fund-what = ماذا
fund-value-date = تاريخ القيمة
fund-amount = المبلغ
fund-parties = المانح / النافذة / المشروع / المنظمة
fund-at-rate = بسعر { $rate }
fund-no-transfer = لا تحويل مما يحق لك قراءته.
fund-record-operation = تسجيل عملية
fund-record-explain = بصفتك مدير صندوق: يتحقق دفتر الأستاذ من كل عملية ويسجّلها مع التحويلات المرتبطة بها (رسوم الوكيل مع الإيداع، والتكاليف غير المباشرة مع الصرف)، أو يرفضها مع ذكر القاعدة التي تخالفها.
fund-operation = العملية
fund-op-pledge = تعهد (مانح)
fund-op-commit = إلزام تعهد
fund-op-void = إبطال تعهد
fund-op-deposit = إيداع مقابل التزام
fund-op-allocate = تخصيص لنافذة
fund-op-approve = اعتماد ميزانية مشروع
fund-op-disburse = صرف لمنظمة
fund-op-expend = نفقات
fund-op-refund = استرداد من منظمة
fund-op-interest = فوائد
fund-op-reverse = عكس تحويل
fund-currency = العملة
fund-donor = المانح
fund-pledge-id = معرّف التعهد
fund-transfer-to-reverse = التحويل المراد عكسه
fund-pledge-marking = تصنيف التعهد (الافتراضي: تصنيف الصندوق)
fund-record = تسجيل
# بنود جدول الحالة والمخططات.
fund-line-commitments = التزامات المانحين
fund-line-deposits = الإيداعات
fund-line-interest = الفوائد
fund-line-refunds = المبالغ المستردة من المنظمات
fund-line-transfers = التحويلات إلى المنظمات
fund-line-agent-fees = رسوم الوكيل الإداري
fund-line-indirect = التكاليف غير المباشرة (ضمن التحويلات)
fund-line-expenditure = النفقات (ضمن التحويلات)
fund-line-total-sources = إجمالي المصادر
fund-line-total-uses = إجمالي الاستخدامات
fund-line-with-agent = لدى الوكيل الإداري
fund-line-with-organisations = لدى المنظمات المشاركة
fund-line-receivable = ملتزَم به، لم يُودَع بعد
fund-line-exchange = فروق الصرف على الالتزامات المسوّاة
fund-line-pledged = متعهَّد به، لم يُلتزم به بعد
fund-line-allocated = المخصَّص للنوافذ
fund-line-approved = المعتمَد للمشاريع
fund-chart-year = المصادر والاستخدامات سنويًا ({ $currency })
fund-chart-window = حسب النافذة ({ $currency })
fund-chart-donor = حسب المانح ({ $currency })
fund-series-deposits = الإيداعات
fund-series-transfers = التحويلات إلى المنظمات
fund-series-expenditure = النفقات
fund-series-allocated = المخصَّص
fund-series-approved = المعتمَد للمشاريع
fund-series-pledged = متعهَّد به، لم يُلتزم به بعد
fund-series-committed = الملتزَم به
fund-series-deposited = المودَع
# حالة المشروع.
fund-project-status-planned = مخطَّط له
fund-project-status-ongoing = جارٍ
fund-project-status-completed = مكتمل
fund-project-status-cancelled = ملغى
# نوع التحويل (رموز دفتر الأستاذ) ومرحلته.
fund-code-pledge = تعهد
fund-code-commitment = التزام
fund-code-pledge_void = إبطال تعهد
fund-code-deposit = إيداع
fund-code-agent_fee = رسوم الوكيل
fund-code-interest = فوائد
fund-code-allocation = تخصيص
fund-code-approval = اعتماد
fund-code-disbursement = صرف
fund-code-indirect_cost = تكلفة غير مباشرة
fund-code-expenditure = نفقات
fund-code-refund = استرداد
fund-phase-pending = معلَّق
fund-phase-post = مُرحَّل
fund-phase-void = باطل

## تعديل احتياج وسحبه وإصداراته
req-edit = تعديل
req-edit-title = تعديل الاحتياج
req-save-submit = حفظ التغييرات
req-versions = الإصدارات ({ $version })
req-versions-title = إصدارات احتياج
req-withdraw = سحب
req-conflict-heading = حفظ شخص آخر هذا الاحتياج بينما كنت تعدّله
req-conflict-explain = لم يُحفظ شيء من تعديلاتك بعد. حفظ { $by } الإصدار { $version } في
req-conflict-choose = اختر لكل حقل تغيّر في الأثناء القيمة التي تبقيها؛ قيمك في النموذج أدناه
req-conflict-field = الحقل
req-conflict-theirs = في الإصدار { $version }
req-conflict-yours = قيمك
req-conflict-keep = إبقاء
req-conflict-take-theirs = القيمة الأحدث
req-conflict-same = لا يختلف أي حقل: الحفظ يبقي قيمك.
req-field-title = العنوان
req-field-description = الوصف
req-field-requesting_member = العضو الطالب
req-field-line_of_effort = خط الجهد
req-field-category = فئة الصنف
req-field-kind = عيني أو نقدي
req-field-amount = المقدار
req-field-unit = الوحدة أو العملة
req-field-country = البلد
req-field-admin1_name = المحافظة
req-field-admin1_pcode = رمز P
req-field-town = البلدة
req-field-start = من
req-field-end = إلى
req-field-priority = الأولوية
req-field-tlp = مستوى TLP
req-field-rel_to = قابل للإتاحة لـ
contrib-versions-title = إصدارات مساهمة
contrib-versions = الإصدارات ({ $version })
req-measure-unit-hint = اختر أو اكتب: وحدة بأحرف صغيرة (kit، police-officer)، أو رمز عملة للمال (USD، IQD).
contrib-edit-title = تعديل المساهمة
contrib-edit-cancel = العودة إلى المساهمة دون حفظ
contrib-edit-fixed-members = يبقى الأعضاء المساهمون كما سُجّلوا: لتغييرهم ألغِ هذه المساهمة وقدّم تعهدًا جديدًا.
contrib-edit-fixed-requirement = تجيب عن احتياجها وتُحسب بوحدته؛ ومحور الجهد وفئة المواد هما ما للاحتياج.
contrib-edit-amount-hint = لا يقل أبدًا عمّا سُلّم. أي مبلغ أو مكان أو فترة جديدة يطلب من كل مساهم مشارك أن يؤكد من جديد.
contrib-edit-place-hint = اترك المكان والفترة فارغين لاعتماد ما للاحتياج.
contrib-conflict-heading = حفظ شخص آخر هذه المساهمة بينما كنت تعدّلها
ind-value-edit-title = تعديل قيمة مُبلَّغ عنها
ind-value-edit-cancel = العودة إلى المؤشر دون حفظ
ind-value-conflict-heading = حفظ شخص آخر هذه القيمة بينما كنت تعدّلها
ind-value-withdraw = سحب هذه القيمة
ind-value-versions = الإصدارات
ind-value-versions-title = إصدارات قيمة مُبلَّغ عنها
ind-value-record = السجل
ind-field-observed_on = تاريخ الرصد
ind-field-value = القيمة
ind-field-note = ملاحظة أو مصدر
ind-field-tlp = مستوى TLP
ind-field-rel_to = قابل للإفراج إلى
