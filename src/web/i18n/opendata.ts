/**
 * Messages of the open-data pages (dashboards, charts, definitions of every figure, the licence and
 * the suppression rule), in Indonesian (`openDataId`) and English (`openDataEn`). The definitions
 * are also published in both languages in the JSON. Spread into id.ts and en.ts.
 */
export const openDataId = {
  'opendata.nav': 'Data terbuka',
  'opendata.title': 'Data terbuka layanan publik',
  'opendata.lead':
    'Berapa permohonan yang masuk dan selesai, berapa lama prosesnya, seberapa puas masyarakat, dan berapa pengaduan yang ditangani — per instansi dan per layanan. Tanpa perlu masuk.',
  'opendata.agency_lead': 'Angka layanan {agency}.',
  'opendata.service_lead': 'Angka layanan {service} dari {agency}.',
  'opendata.footer_link': 'Data terbuka',
  'opendata.breadcrumb': 'Jalur halaman',
  'opendata.all_agencies': 'Semua instansi',
  'opendata.period': 'Periode',
  'opendata.period_hint': 'Bulan, triwulan, atau tahun.',
  'opendata.show': 'Tampilkan',
  'opendata.period_invalid': 'Periode “{given}” tidak dikenal. Ditampilkan {shown}.',
  'opendata.running': '(masih berjalan, sampai hari ini)',
  'opendata.year_label': 'Tahun {year}',
  'opendata.quarter_label': 'Triwulan {roman} {year}',
  'opendata.headline': 'Ringkasan {period}',
  'opendata.applications': 'Permohonan',
  'opendata.trend': 'Tren 12 bulan',
  'opendata.trend_lead': '{from} sampai {to}. Angka di bawah tiap diagram sama dengan isinya.',
  'opendata.by_agency': 'Per instansi',
  'opendata.by_service': 'Per layanan',
  'opendata.total': 'Seluruhnya',
  'opendata.month': 'Bulan',
  'opendata.name': 'Nama',
  'opendata.no_services': 'Instansi ini belum menerbitkan layanan.',
  'opendata.satisfaction': 'Kepuasan masyarakat (SKM)',
  'opendata.element': 'Unsur',
  'opendata.elements_caption': 'Nilai rata-rata per unsur (1–4)',
  'opendata.complaints': 'Pengaduan',
  'opendata.downloads': 'Unduh data',
  'opendata.download_csv': 'Semua angka halaman ini (CSV)',
  'opendata.download_json': 'Semua angka dengan definisinya (JSON)',
  'opendata.api_hint': 'Angka yang sama tersedia lewat API: {url} (lihat dokumentasi OpenAPI di {openapi}).',
  'opendata.licence_title': 'Lisensi',
  'opendata.licence':
    'Data ini boleh digunakan ulang, juga untuk keperluan komersial, dengan lisensi Creative Commons Atribusi 4.0 Internasional (CC BY 4.0). Sebutkan sumbernya: “{attribution}”.',
  'opendata.attribution': 'Gapura, data terbuka layanan publik',
  'opendata.suppression_title': 'Angka kecil disembunyikan',
  'opendata.suppression':
    'Angka yang dihitung dari 1 sampai 4 data (jumlah, median, persentil, persentase, atau indeks) ditulis “< 5”, agar tidak ada orang yang dapat dikenali. Bila satu sel dari baris atau kolom yang jumlahnya diterbitkan disembunyikan, sel terkecil berikutnya juga disembunyikan dan ditulis “×”, sehingga angka yang tersembunyi tidak dapat dihitung dengan pengurangan. Sel “×” dihitung dari 5 data atau lebih dan hanya disembunyikan untuk melindungi sel lain; angka yang dihitung darinya juga ditulis “×”. Aturan ini berlaku sama di semua halaman, bulan, triwulan, dan tahun. Nol ditulis 0; “—” berarti tidak ada data untuk menghitungnya.',
  'opendata.suppression_data':
    'Angka yang dihitung dari 1 sampai 4 data (jumlah, median, persentil, persentase, atau indeks) ditulis "< 5" (penyembunyian primer), agar tidak ada orang yang dapat dikenali. Bila satu sel dari baris atau kolom yang jumlahnya diterbitkan disembunyikan, sel terkecil berikutnya juga disembunyikan dan ditulis "suppressed" (penyembunyian komplementer; di halaman: “×”), sehingga angka yang tersembunyi tidak dapat dihitung dengan pengurangan. Sel "suppressed" dihitung dari 5 data atau lebih; angka yang dihitung darinya juga ditulis "suppressed". Aturan ini berlaku sama di semua halaman, bulan, triwulan, dan tahun. Nol ditulis 0; null di JSON dan sel kosong di CSV berarti tidak ada data untuk menghitungnya.',
  'opendata.withheld': '×',
  'opendata.definitions': 'Definisi',
  'opendata.no_data': '—',
  'opendata.days': '{value} hari kerja',
  'opendata.percent': '{value}%',
  'opendata.legend_received': 'Diterima',
  'opendata.legend_completed': 'Selesai',
  'opendata.legend_pending': 'Dalam proses',
  'opendata.legend_median': 'Median',
  'opendata.legend_p90': 'Persentil ke-90',
  'opendata.legend_sla': 'Tepat waktu',
  'opendata.chart_volume_title': 'Permohonan diterima dan selesai per bulan',
  'opendata.chart_volume_desc':
    'Diagram batang berpasangan, {from} sampai {to}. Paling banyak {max} permohonan dalam sebulan. Angka kecil yang disembunyikan ditandai “<5”; angka yang disembunyikan untuk melindungi angka lain ditandai “×”.',
  'opendata.chart_time_title': 'Waktu penyelesaian per bulan, dalam hari kerja',
  'opendata.chart_time_desc':
    'Diagram garis median dan persentil ke-90 hari kerja dari pengajuan sampai keputusan, {from} sampai {to}; paling lama {max} hari kerja. Bulan tanpa angka dibiarkan kosong.',
  'opendata.chart_sla_title': 'Kepatuhan standar waktu per bulan, dalam persen',
  'opendata.chart_sla_desc':
    'Diagram garis persentase permohonan yang diputus tepat waktu, {from} sampai {to}, pada skala 0–100%. Bulan tanpa angka dibiarkan kosong.',
  'opendata.not_found_title': 'Data terbuka tidak ditemukan',
  'opendata.not_found': 'Instansi atau layanan itu tidak ada. Lihat daftar semua instansi.',

  'opendata.unit.working_days': 'hari kerja',

  'opendata.fig.applications.received': 'Permohonan diterima',
  'opendata.def.applications.received':
    'Permohonan yang diajukan dalam periode ini (lewat situs, API, atau loket), menurut tanggal pengajuan di zona waktu instansi.',
  'opendata.fig.applications.completed': 'Permohonan selesai',
  'opendata.def.applications.completed':
    'Permohonan yang diputus (disetujui atau ditolak) dalam periode ini, menurut tanggal keputusan. Permohonan yang dibatalkan tidak dihitung.',
  'opendata.fig.applications.pending': 'Permohonan dalam proses',
  'opendata.def.applications.pending':
    'Permohonan yang sudah diajukan dan belum diputus atau dibatalkan pada akhir periode (untuk periode yang masih berjalan: saat ini).',
  'opendata.fig.applications.processingDaysMedian': 'Waktu penyelesaian, median',
  'opendata.def.applications.processingDaysMedian':
    'Nilai tengah hari kerja dari pengajuan sampai keputusan, atas permohonan yang selesai dalam periode ini; untuk jumlah genap, rata-rata dua nilai tengah. Hari kerja menurut kalender instansi: Senin–Jumat tanpa hari libur nasional, cuti bersama, dan libur daerah. Hari pengajuan tidak dihitung dan hari keputusan dihitung, jadi keputusan di hari yang sama bernilai 0. Waktu menunggu perbaikan dari pemohon ikut dihitung.',
  'opendata.fig.applications.processingDaysP90': 'Waktu penyelesaian, persentil ke-90',
  'opendata.def.applications.processingDaysP90':
    'Jumlah hari kerja yang tidak dilampaui oleh sedikitnya 90% permohonan yang selesai dalam periode ini (metode peringkat terdekat), dihitung seperti median.',
  'opendata.fig.applications.slaCompliance': 'Kepatuhan standar waktu',
  'opendata.def.applications.slaCompliance':
    'Persentase permohonan selesai dalam periode ini yang diputus paling lambat pada batas waktu: akhir hari kerja ke-N setelah pengajuan (N = waktu penyelesaian dalam standar pelayanan), ditambah hari kerja selama menunggu perbaikan dari pemohon. Dibulatkan ke satu desimal.',
  'opendata.fig.satisfaction.respondents': 'Responden survei',
  'opendata.def.satisfaction.respondents':
    'Jawaban survei kepuasan masyarakat (SKM, Permenpan RB 14/2017) yang masuk dalam periode ini; nilai instansi menggabungkan jawaban semua layanannya.',
  'opendata.fig.satisfaction.population': 'Populasi',
  'opendata.def.satisfaction.population':
    'Jumlah penerima layanan dalam periode ini: populasi tempat sampel survei diambil.',
  'opendata.fig.satisfaction.minimumSample': 'Sampel minimum',
  'opendata.def.satisfaction.minimumSample':
    'Jumlah responden minimum untuk populasi itu menurut rumus Krejcie–Morgan (χ² = 3,841, P = 0,5, d = 0,05), dibulatkan ke atas.',
  'opendata.fig.satisfaction.ikm': 'IKM (skala 1–4)',
  'opendata.def.satisfaction.ikm':
    'Indeks Kepuasan Masyarakat: jumlah nilai rata-rata (NRR) kesembilan unsur dikali 1/9.',
  'opendata.fig.satisfaction.score': 'Nilai IKM',
  'opendata.def.satisfaction.score':
    'IKM dikali 25 (skala 25–100), dibulatkan setengah ke atas menjadi dua desimal.',
  'opendata.fig.satisfaction.grade': 'Mutu pelayanan',
  'opendata.def.satisfaction.grade':
    'Dari nilai IKM: A Sangat Baik (88,31–100), B Baik (76,61–88,30), C Kurang Baik (65,00–76,60), D Tidak Baik (25,00–64,99).',
  'opendata.fig.satisfaction.elements': 'Nilai unsur (NRR)',
  'opendata.def.satisfaction.elements':
    'Rata-rata jawaban (1–4) tiap unsur survei: persyaratan; sistem, mekanisme, dan prosedur; waktu penyelesaian; biaya/tarif; produk layanan; kompetensi pelaksana; perilaku pelaksana; penanganan pengaduan, saran, dan masukan; sarana dan prasarana.',
  'opendata.fig.complaints.received': 'Pengaduan diterima',
  'opendata.def.complaints.received': 'Pengaduan yang masuk dalam periode ini.',
  'opendata.fig.complaints.resolved': 'Pengaduan selesai',
  'opendata.def.complaints.resolved': 'Pengaduan yang selesai ditangani dalam periode ini.',
  'opendata.fig.complaints.medianResolutionDays': 'Waktu penyelesaian pengaduan, median',
  'opendata.def.complaints.medianResolutionDays':
    'Nilai tengah hari kerja dari pengaduan masuk sampai selesai, atas pengaduan yang selesai dalam periode ini.',
};

export const openDataEn: Record<keyof typeof openDataId, string> = {
  'opendata.nav': 'Open data',
  'opendata.title': 'Open data on public services',
  'opendata.lead':
    'How many applications came in and were completed, how long they took, how satisfied people were and how many complaints were handled — per agency and per service. No sign-in needed.',
  'opendata.agency_lead': 'Service figures of {agency}.',
  'opendata.service_lead': 'Figures of {service}, a service of {agency}.',
  'opendata.footer_link': 'Open data',
  'opendata.breadcrumb': 'Breadcrumb',
  'opendata.all_agencies': 'All agencies',
  'opendata.period': 'Period',
  'opendata.period_hint': 'A month, a quarter or a year.',
  'opendata.show': 'Show',
  'opendata.period_invalid': 'Unknown period “{given}”. Showing {shown}.',
  'opendata.running': '(still running, up to today)',
  'opendata.year_label': 'Year {year}',
  'opendata.quarter_label': 'Q{number} {year}',
  'opendata.headline': 'Summary for {period}',
  'opendata.applications': 'Applications',
  'opendata.trend': '12-month trend',
  'opendata.trend_lead': '{from} to {to}. The figures below each chart are the ones it draws.',
  'opendata.by_agency': 'By agency',
  'opendata.by_service': 'By service',
  'opendata.total': 'All',
  'opendata.month': 'Month',
  'opendata.name': 'Name',
  'opendata.no_services': 'This agency has not published any service yet.',
  'opendata.satisfaction': 'Public satisfaction (SKM)',
  'opendata.element': 'Element',
  'opendata.elements_caption': 'Mean score per element (1–4)',
  'opendata.complaints': 'Complaints',
  'opendata.downloads': 'Download the data',
  'opendata.download_csv': 'Every figure on this page (CSV)',
  'opendata.download_json': 'Every figure with its definition (JSON)',
  'opendata.api_hint': 'The same figures are in the API: {url} (see the OpenAPI document at {openapi}).',
  'opendata.licence_title': 'Licence',
  'opendata.licence':
    'You may reuse this data, commercially too, under the Creative Commons Attribution 4.0 International licence (CC BY 4.0). Credit the source: “{attribution}”.',
  'opendata.attribution': 'Gapura open data on public services',
  'opendata.suppression_title': 'Small numbers are hidden',
  'opendata.suppression':
    'A figure computed from 1 to 4 records (a count, median, percentile, percentage or index) is written “< 5”, so nobody can be singled out. When one cell of a row or column with a published total is hidden, the next smallest is hidden too and written “×”, so a hidden figure cannot be worked out by subtraction. A “×” cell is computed from 5 or more records and hidden only to protect another cell; figures computed from it are written “×” too. The rule is applied alike on every page, month, quarter and year. Zero is written 0; “—” means there is nothing to compute the figure from.',
  'opendata.suppression_data':
    'A figure computed from 1 to 4 records (a count, median, percentile, percentage or index) is written "< 5" (primary suppression), so nobody can be singled out. When one cell of a row or column with a published total is hidden, the next smallest is hidden too and written "suppressed" (complementary suppression; “×” on the pages), so a hidden figure cannot be worked out by subtraction. A "suppressed" cell is computed from 5 or more records; figures computed from it are written "suppressed" too. The rule is applied alike on every page, month, quarter and year. Zero is written 0; null in the JSON and an empty value in the CSV mean there is nothing to compute the figure from.',
  'opendata.withheld': '×',
  'opendata.definitions': 'Definitions',
  'opendata.no_data': '—',
  'opendata.days': '{value} working days',
  'opendata.percent': '{value}%',
  'opendata.legend_received': 'Received',
  'opendata.legend_completed': 'Completed',
  'opendata.legend_pending': 'Pending',
  'opendata.legend_median': 'Median',
  'opendata.legend_p90': '90th percentile',
  'opendata.legend_sla': 'On time',
  'opendata.chart_volume_title': 'Applications received and completed per month',
  'opendata.chart_volume_desc':
    'Paired bar chart, {from} to {to}. At most {max} applications in a month. Small figures that are hidden are marked “<5”; figures hidden to protect another are marked “×”.',
  'opendata.chart_time_title': 'Processing time per month, in working days',
  'opendata.chart_time_desc':
    'Line chart of the median and 90th percentile of working days from filing to decision, {from} to {to}; at most {max} working days. Months without a figure are left blank.',
  'opendata.chart_sla_title': 'SLA compliance per month, in percent',
  'opendata.chart_sla_desc':
    'Line chart of the share of applications decided on time, {from} to {to}, on a 0–100% scale. Months without a figure are left blank.',
  'opendata.not_found_title': 'Open data not found',
  'opendata.not_found': 'That agency or service does not exist. See the list of all agencies.',

  'opendata.unit.working_days': 'working days',

  'opendata.fig.applications.received': 'Applications received',
  'opendata.def.applications.received':
    'Applications filed in the period (online, through the API or at a counter), by filing date in the agency’s time zone.',
  'opendata.fig.applications.completed': 'Applications completed',
  'opendata.def.applications.completed':
    'Applications decided (approved or rejected) in the period, by decision date. Withdrawn applications are not counted.',
  'opendata.fig.applications.pending': 'Applications pending',
  'opendata.def.applications.pending':
    'Applications filed and not yet decided or withdrawn at the end of the period (for a period still running: now).',
  'opendata.fig.applications.processingDaysMedian': 'Processing time, median',
  'opendata.def.applications.processingDaysMedian':
    'The middle value of working days from filing to decision, over the applications completed in the period; for an even number, the mean of the two middle values. Working days follow the agency’s calendar: Monday–Friday without national holidays, cuti bersama (collective leave) and regional holidays. The filing day does not count and the decision day does, so a same-day decision is 0. Time spent waiting for the applicant’s corrections is included.',
  'opendata.fig.applications.processingDaysP90': 'Processing time, 90th percentile',
  'opendata.def.applications.processingDaysP90':
    'The number of working days that at least 90% of the applications completed in the period did not exceed (nearest-rank method), counted as for the median.',
  'opendata.fig.applications.slaCompliance': 'SLA compliance',
  'opendata.def.applications.slaCompliance':
    'Percentage of the applications completed in the period that were decided by their deadline: the end of the N-th working day after filing (N = the completion time in the service standard), plus the working days spent waiting for the applicant’s corrections. Rounded to one decimal.',
  'opendata.fig.satisfaction.respondents': 'Survey respondents',
  'opendata.def.satisfaction.respondents':
    'Answers to the public satisfaction survey (SKM, Permenpan RB 14/2017) received in the period; an agency’s figures pool the answers of all its services.',
  'opendata.fig.satisfaction.population': 'Population',
  'opendata.def.satisfaction.population':
    'People served in the period: the population the survey sample is drawn from.',
  'opendata.fig.satisfaction.minimumSample': 'Minimum sample',
  'opendata.def.satisfaction.minimumSample':
    'The minimum number of respondents for that population by the Krejcie–Morgan formula (χ² = 3.841, P = 0.5, d = 0.05), rounded up.',
  'opendata.fig.satisfaction.ikm': 'IKM (1–4 scale)',
  'opendata.def.satisfaction.ikm':
    'The public satisfaction index: the sum of the mean scores (NRR) of the nine elements times 1/9.',
  'opendata.fig.satisfaction.score': 'IKM score',
  'opendata.def.satisfaction.score': 'The IKM times 25 (a 25–100 scale), rounded half up to two decimals.',
  'opendata.fig.satisfaction.grade': 'Service grade',
  'opendata.def.satisfaction.grade':
    'From the IKM score: A Very good (88.31–100), B Good (76.61–88.30), C Poor (65.00–76.60), D Very poor (25.00–64.99).',
  'opendata.fig.satisfaction.elements': 'Element scores (NRR)',
  'opendata.def.satisfaction.elements':
    'The mean answer (1–4) to each survey element: requirements; system, mechanism and procedure; completion time; cost/tariff; service product; staff competence; staff behaviour; handling of complaints, suggestions and feedback; facilities.',
  'opendata.fig.complaints.received': 'Complaints received',
  'opendata.def.complaints.received': 'Complaints received in the period.',
  'opendata.fig.complaints.resolved': 'Complaints resolved',
  'opendata.def.complaints.resolved': 'Complaints resolved in the period.',
  'opendata.fig.complaints.medianResolutionDays': 'Complaint resolution time, median',
  'opendata.def.complaints.medianResolutionDays':
    'The middle value of working days from receiving a complaint to resolving it, over the complaints resolved in the period.',
};
