/**
 * Messages of the applications pages, in Indonesian (`applicationsId`) and English (`applicationsEn`).
 * Spread into id.ts and en.ts; the type makes a key missing in English a compile error.
 */
export const applicationsId = {
  'applications.my_title': 'Permohonan saya',
  'applications.my_empty': 'Anda belum punya permohonan.',
  'applications.my_find': 'Cari layanan',
  'applications.my_drafts': 'Belum dikirim ({count})',
  'applications.my_drafts_lead': 'Isian Anda tersimpan. Lanjutkan kapan saja, dari perangkat mana saja.',
  'applications.my_filed': 'Sudah dikirim ({count})',
  'applications.status': 'Status',
  'applications.draft': 'Draf (belum dikirim)',
  'applications.filed': 'Dikirim',
  'applications.last_change': 'Terakhir diubah',
  'applications.continue': 'Lanjutkan mengisi',
  'applications.see_receipt': 'Lihat tanda terima',
  'applications.see_status': 'Lihat status permohonan',
  'applications.back': 'Kembali',
  'applications.back_to_service': 'Kembali ke halaman layanan',
  'applications.error_prefix': 'Kesalahan:',
  'applications.yes': 'Ya',
  'applications.no': 'Tidak',
  'applications.files_one': '1 berkas terlampir',
  'applications.files': '{count} berkas terlampir',
  'applications.not_answered': 'Belum diisi',

  'applications.start_title': 'Mengajukan: {service}',
  'applications.start_need': 'Yang perlu Anda siapkan',
  'applications.start_steps': 'Formulir',
  'applications.start_steps_count': '{count} langkah',
  'applications.start_saved':
    'Isian Anda disimpan di setiap langkah. Anda bisa berhenti dan melanjutkan nanti, juga dari perangkat lain.',
  'applications.start_signin_needed': 'Untuk mengajukan permohonan, masuk atau daftar akun lebih dulu.',
  'applications.start_signin': 'Masuk',
  'applications.start_register': 'Daftar akun',
  'applications.start_staff':
    'Akun petugas tidak dapat mengajukan permohonan sendiri. Masuk dengan akun warga untuk mengajukan.',
  'applications.start_button': 'Mulai mengisi',

  'applications.step': 'Langkah {n} dari {total}',
  'applications.save_continue': 'Simpan dan lanjutkan',
  'applications.save_review': 'Simpan dan periksa',
  'applications.save_later': 'Simpan dan lanjutkan nanti',

  'applications.review_title': 'Periksa permohonan Anda',
  'applications.review_lead': 'Periksa kembali semua isian sebelum mengirim. Pilih "Ubah" untuk memperbaiki.',
  'applications.change': 'Ubah',
  'applications.fix_section': 'Perbaiki bagian "{section}"',
  'applications.consent_title': 'Persetujuan pemrosesan data pribadi',
  'applications.consent_purpose_title': 'Untuk apa data Anda dipakai',
  'applications.consent_purpose':
    'Data dalam permohonan ini dipakai hanya untuk memproses permohonan {service} oleh {agency}, termasuk menghubungi Anda tentang permohonan ini.',
  'applications.consent_data_title': 'Data yang disimpan',
  'applications.consent_data':
    'Semua isian dan berkas dalam formulir ini, riwayat prosesnya, dan dokumen yang diterbitkan. Data pribadi disimpan terenkripsi.',
  'applications.consent_retention_title': 'Berapa lama disimpan',
  'applications.consent_retention': '{years} tahun setelah permohonan selesai, lalu dimusnahkan.',
  'applications.consent_basis': 'Dasar: {basis}',
  'applications.consent_who_title': 'Siapa yang dapat melihatnya',
  'applications.consent_who':
    'Anda dan petugas {agency} yang menangani permohonan ini. Setiap akses petugas tercatat dan dapat Anda lihat.',
  'applications.consent_specific': 'Data pribadi yang bersifat spesifik hanya dapat dilihat oleh: {roles}.',
  'applications.consent_rights':
    'Sesuai UU 27/2022 tentang Pelindungan Data Pribadi, Anda berhak mengakses, memperbaiki, dan meminta salinan data Anda.',
  'applications.consent_version': 'Versi pernyataan {version}',
  'applications.consent_label':
    'Saya menyatakan isian ini benar dan menyetujui pemrosesan data pribadi saya seperti dijelaskan di atas.',
  'applications.submit': 'Kirim permohonan',

  'applications.receipt_title': 'Permohonan terkirim',
  'applications.receipt_lead': 'Simpan nomor permohonan dan kode rahasia di bawah ini.',
  'applications.tracking_number': 'Nomor permohonan',
  'applications.tracking_secret': 'Kode rahasia',
  'applications.secret_explain':
    'Simpan kode rahasia ini dan jangan bagikan. Dengan nomor permohonan dan kode ini Anda dapat memeriksa status di /track tanpa masuk akun.',
  'applications.service': 'Layanan',
  'applications.agency': 'Instansi',
  'applications.submitted': 'Dikirim',
  'applications.due': 'Target selesai',
  'applications.due_at_latest': 'Paling lambat {date}',
  'applications.qr_label': 'Kode QR ke halaman pelacakan permohonan',
  'applications.qr_caption': 'Pindai kode QR untuk membuka halaman pelacakan dengan nomor permohonan ini.',
  'applications.download_pdf': 'Unduh tanda terima (PDF)',
  'applications.receipt_pdf_title': 'Tanda Terima Permohonan',
  'applications.receipt_pdf_footer':
    'Gapura — tanda terima ini dibuat otomatis. Nomor permohonan dan kode rahasia diperlukan untuk melacak permohonan.',

  'applications.next_title': 'Apa yang terjadi berikutnya',
  'applications.next_waiting': 'Menunggu tindakan petugas: {who}.',
  'applications.next_waiting_agency': 'Menunggu tindakan petugas instansi.',
  'applications.next_possible': 'Langkah yang mungkin berikutnya:',
  'applications.next_yours': 'Permohonan dikembalikan kepada Anda untuk diperbaiki.',
  'applications.next_done': 'Permohonan ini sudah selesai diproses.',
  'applications.draft_lead': 'Permohonan ini belum dikirim. Isian Anda tersimpan.',
  'audit_event.application.submitted': 'Permohonan diajukan',
  'audit_event.application.action': 'Petugas memproses permohonan',
  'audit_event.application.revised': 'Perbaikan disimpan',
  'audit_event.application.identity_verified': 'Identitas diverifikasi di loket',
  'audit_event.application.assigned': 'Permohonan ditugaskan ke petugas',
  'audit_event.application.unassigned': 'Permohonan dikembalikan ke antrean',
  'audit_event.application.linked': 'Permohonan dihubungkan ke akun',
  'audit_event.application.data_viewed': 'Petugas membuka data pribadi',
  'audit_event.document.issued': 'Dokumen hasil diterbitkan',
  'audit_event.document.revoked': 'Dokumen hasil dicabut',
  'audit_event.privacy.restricted': 'Pemrosesan data dibatasi',
  'audit_event.privacy.erased': 'Data pribadi dihapus',
  'audit_event.privacy.correction_requested': 'Perbaikan data diminta',
  'audit_event.privacy.request_handled': 'Permintaan privasi ditangani',
  'applications.audit_title': 'Jejak di log audit publik',
  'applications.audit_count': '({verified} dari {total} terverifikasi)',
  'applications.audit_lead':
    'Setiap perubahan pada permohonan ini dicatat di log audit publik yang tidak dapat diubah diam-diam, tanpa data pribadi Anda. Tanda terverifikasi berarti bukti inklusinya cocok dengan kepala pohon terakhir yang ditandatangani.',
  'applications.audit_leaf': 'daun #{index}',
  'applications.audit_verified': '✓ terverifikasi (pohon {size})',
  'applications.audit_not_yet': 'menunggu kepala pohon berikutnya',
  'applications.audit_pending': 'menunggu dicatat',
  'applications.audit_how':
    'Siapa pun dapat memeriksa log ini lewat /api/v1/audit/sth dan bukti inklusinya, atau dengan perintah gapura audit verify --remote.',
  'applications.history_title': 'Riwayat',
  'applications.history_created': 'Draf dibuat',
  'applications.history_submitted': 'Permohonan dikirim → {state}',
  'applications.answers_title': 'Isian permohonan',

  'applications.track_title': 'Lacak permohonan',
  'applications.track_lead':
    'Masukkan nomor permohonan dan kode rahasia dari tanda terima Anda. Tidak perlu masuk akun.',
  'applications.track_number_hint': 'Contoh: DKP-26-7KQ4-M9X3',
  'applications.track_secret_hint': '8 huruf dan angka, tercetak di tanda terima.',
  'applications.track_submit': 'Lacak',
  'applications.track_result': 'Status permohonan',
  'applications.track_missing': 'Isi nomor permohonan dan kode rahasia.',
  'applications.outcome.approved': 'Selesai — disetujui',
  'applications.outcome.rejected': 'Selesai — ditolak',
  'applications.outcome.withdrawn': 'Dibatalkan',

  'applications.history_revised': 'Anda menyimpan perbaikan',
  'applications.history_identity': 'Identitas Anda diperiksa petugas',
  'applications.done_resubmitted': 'Permohonan sudah dikirim ulang. Petugas akan memeriksanya lagi.',
  'applications.done_withdrawn': 'Permohonan sudah dibatalkan.',

  'applications.revision_title': 'Yang perlu diperbaiki',
  'applications.revision_lead':
    'Petugas mengembalikan permohonan ini pada {date} dan meminta Anda memperbaiki:',
  'applications.revision_comment': 'Catatan petugas',
  'applications.revision_fix': 'Perbaiki',
  'applications.revision_page_title': 'Perbaiki permohonan',
  'applications.revision_section': 'Isian yang perlu diperbaiki',
  'applications.revision_only':
    'Hanya isian yang diminta petugas yang dapat diubah. Isian lain tetap seperti yang Anda kirim.',
  'applications.revision_save': 'Simpan perbaikan',
  'applications.revision_saved':
    'Perbaikan Anda tersimpan. Periksa sekali lagi, lalu kirim ulang permohonan.',
  'applications.revision_other':
    'Isian lain tidak cocok lagi dengan perbaikan ini dan tidak dapat Anda ubah sendiri. Hubungi instansi: {message}',
  'applications.resubmit': 'Kirim ulang permohonan',
  'applications.resubmit_title': 'Kirim ulang',
  'applications.resubmit_lead':
    'Setelah perbaikan tersimpan, kirim ulang permohonan agar petugas memeriksanya lagi. Waktu layanan berjalan lagi sejak Anda mengirim ulang.',
  'applications.resubmit_first':
    'Simpan perbaikan Anda dulu, lalu kirim ulang permohonan di halaman perbaikan.',
  'applications.note_optional': 'Catatan untuk petugas (tidak wajib)',
  'applications.note_required': 'Catatan untuk petugas',

  'applications.withdraw': 'Batalkan permohonan',
  'applications.withdraw_offer': 'Tidak jadi mengurus layanan ini? Anda dapat membatalkan permohonan.',
  'applications.withdraw_title': 'Batalkan permohonan ini?',
  'applications.withdraw_lead':
    'Permohonan {service} nomor {number} akan dihentikan dan tidak diproses lagi. Pembatalan tidak dapat diurungkan: untuk mengurus layanan ini lagi, Anda perlu mengajukan permohonan baru.',
  'applications.withdraw_reason_optional': 'Alasan pembatalan (tidak wajib)',
  'applications.withdraw_reason_required': 'Alasan pembatalan',
  'applications.withdraw_confirm': 'Ya, batalkan permohonan',
  'applications.withdraw_keep': 'Tidak, kembali ke status permohonan',

  'applications.documents_title': 'Dokumen Anda',
  'applications.document_number': 'Nomor dokumen',
  'applications.document_issued': 'Tanggal terbit',
  'applications.document_download': 'Unduh dokumen (PDF)',
  'applications.document_verify': 'Halaman verifikasi keaslian',
  'applications.document_verify_hint':
    'Siapa pun yang menerima dokumen ini dapat memeriksa keasliannya dengan memindai kode QR pada dokumen atau membuka halaman verifikasi.',
  'applications.document_revoked': 'Dokumen ini dicabut oleh instansi pada {date}.',
  'applications.rejection_title': 'Alasan penolakan',
  'applications.rejection_none': 'Instansi tidak menuliskan alasan. Hubungi instansi untuk penjelasan.',
  'applications.version_moved_title': 'Formulir layanan ini sudah diperbarui',
  'applications.version_moved':
    'Sejak permohonan ini mulai diisi, instansi menerbitkan formulir baru (versi {version}). Isian yang sudah ada dipindahkan ke formulir baru. Periksa kembali sebelum mengirim.',
  'applications.version_moved_problems':
    'Beberapa isian tidak cocok dengan formulir baru. Perbaiki isian yang ditandai sebelum mengirim.',
  'applications.version_withdrawn_title': 'Layanan ini tidak lagi tersedia',
  'applications.version_withdrawn':
    'Instansi menghentikan layanan ini, sehingga permohonan ini tidak dapat dikirim. Isian yang sudah ada tetap tersimpan dan dapat dibaca di sini. Hubungi instansi untuk cara lain mengurusnya.',

  'applications.counter_title': 'Loket: permohonan dibantu petugas',
  'applications.counter_lead':
    'Pilih layanan yang diminta warga. Isi formulir bersama warga, periksa KTP-el aslinya, lalu cetak tanda terima dengan kode rahasia untuk warga.',
  'applications.counter_search_label': 'Cari layanan',
  'applications.counter_search_button': 'Cari',
  'applications.counter_services': 'Layanan {agency}',
  'applications.counter_none': 'Tidak ada layanan yang cocok.',
  'applications.counter_start': 'Mulai untuk warga',
  'applications.counter_drafts': 'Sedang diisi ({count})',
  'applications.counter_drafts_lead': 'Permohonan yang Anda mulai di loket dan belum dikirim.',
  'applications.counter_continue': 'Lanjutkan',
  'applications.counter_filled_by': 'Diisi petugas loket untuk warga',
  'applications.counter_review_title': 'Periksa permohonan bersama warga',
  'applications.counter_review_lead':
    'Bacakan atau tunjukkan setiap isian kepada warga. Pilih "Ubah" untuk memperbaiki.',
  'applications.counter_consent_lead':
    'Bacakan pernyataan di atas kepada warga atau minta warga membaca dan menandatanganinya.',
  'applications.counter_consent_label':
    'Warga telah menyetujui pernyataan di atas (dibacakan atau ditandatangani) dan menyatakan isian ini benar.',
  'applications.counter_identity_label': 'KTP-el asli sudah diperiksa',
  'applications.counter_identity_hint':
    'Centang hanya jika Anda melihat sendiri KTP-el asli warga. Tercatat atas nama Anda.',
  'applications.counter_identity_required':
    'Layanan ini mensyaratkan KTP-el asli diperiksa petugas sebelum permohonan dapat disetujui.',
  'applications.counter_receipt_title': 'Tanda terima permohonan',
  'applications.counter_receipt_lead': 'Cetak tanda terima ini dan serahkan kepada warga.',
  'applications.counter_print': 'Cetak',
  'applications.counter_print_hint': 'Untuk mencetak, gunakan menu cetak peramban (Ctrl+P).',
  'applications.counter_assisted': 'Diajukan di loket dengan bantuan petugas.',
  'applications.counter_identity_done': 'KTP-el asli sudah diperiksa petugas.',
  'applications.counter_identity_failed':
    'Permohonan sudah terkirim, tetapi tanda "KTP-el sudah diperiksa" belum tersimpan. Tandai dari kotak masuk.',
  'applications.counter_secret_keep':
    'Simpan kode rahasia ini dan jangan bagikan. Siapa pun yang memegang nomor dan kode ini dapat melihat status permohonan.',
  'applications.counter_status_title': 'Cara memeriksa status',
  'applications.counter_status':
    'Buka {url} dan masukkan nomor permohonan serta kode rahasia, atau pindai kode QR.',
  'applications.counter_link_title': 'Menghubungkan ke akun Gapura',
  'applications.counter_link':
    'Punya akun? Masuk, buka {url}, lalu masukkan nomor permohonan dan kode rahasia. Permohonan ini akan muncul di "Permohonan saya" dan Anda mendapat pemberitahuan.',
  'applications.counter_next': 'Layani warga berikutnya',

  'applications.link_title': 'Hubungkan permohonan ke akun Anda',
  'applications.link_lead':
    'Permohonan yang diajukan di loket dapat Anda ikuti di "Permohonan saya" setelah dihubungkan. Masukkan nomor permohonan dan kode rahasia dari tanda terima.',
  'applications.link_submit': 'Hubungkan',
} as const;

export const applicationsEn: Record<keyof typeof applicationsId, string> = {
  'applications.my_title': 'My applications',
  'applications.my_empty': 'You have no applications yet.',
  'applications.my_find': 'Find a service',
  'applications.my_drafts': 'Not sent yet ({count})',
  'applications.my_drafts_lead': 'Your answers are saved. Continue at any time, from any device.',
  'applications.my_filed': 'Sent ({count})',
  'applications.status': 'Status',
  'applications.draft': 'Draft (not sent)',
  'applications.filed': 'Sent',
  'applications.last_change': 'Last changed',
  'applications.continue': 'Continue filling in',
  'applications.see_receipt': 'See the receipt',
  'applications.see_status': 'See the application status',
  'applications.back': 'Back',
  'applications.back_to_service': 'Back to the service page',
  'applications.error_prefix': 'Error:',
  'applications.yes': 'Yes',
  'applications.no': 'No',
  'applications.files_one': '1 file attached',
  'applications.files': '{count} files attached',
  'applications.not_answered': 'Not answered',

  'applications.start_title': 'Apply: {service}',
  'applications.start_need': 'What you need',
  'applications.start_steps': 'Form',
  'applications.start_steps_count': '{count} steps',
  'applications.start_saved':
    'Your answers are saved at every step. You can stop and continue later, also on another device.',
  'applications.start_signin_needed': 'To apply, sign in or create an account first.',
  'applications.start_signin': 'Sign in',
  'applications.start_register': 'Create an account',
  'applications.start_staff':
    'Staff accounts cannot apply themselves. Sign in with a citizen account to apply.',
  'applications.start_button': 'Start',

  'applications.step': 'Step {n} of {total}',
  'applications.save_continue': 'Save and continue',
  'applications.save_review': 'Save and review',
  'applications.save_later': 'Save and continue later',

  'applications.review_title': 'Check your application',
  'applications.review_lead': 'Check every answer before you send. Choose "Change" to correct something.',
  'applications.change': 'Change',
  'applications.fix_section': 'Correct the section "{section}"',
  'applications.consent_title': 'Consent to processing personal data',
  'applications.consent_purpose_title': 'What your data is used for',
  'applications.consent_purpose':
    'The data in this application is used only to process your application for {service} by {agency}, including contacting you about it.',
  'applications.consent_data_title': 'What is kept',
  'applications.consent_data':
    'Every answer and file in this form, its processing history and the document issued. Personal data is stored encrypted.',
  'applications.consent_retention_title': 'For how long',
  'applications.consent_retention': '{years} years after the application is closed, then destroyed.',
  'applications.consent_basis': 'Basis: {basis}',
  'applications.consent_who_title': 'Who can see it',
  'applications.consent_who':
    'You and the staff of {agency} who handle this application. Every staff access is logged and visible to you.',
  'applications.consent_specific': 'Specific personal data can be seen only by: {roles}.',
  'applications.consent_rights':
    'Under Law 27/2022 on Personal Data Protection you may access, correct and obtain a copy of your data.',
  'applications.consent_version': 'Statement version {version}',
  'applications.consent_label':
    'I declare these answers are true and I consent to the processing of my personal data as described above.',
  'applications.submit': 'Send the application',

  'applications.receipt_title': 'Application sent',
  'applications.receipt_lead': 'Keep the application number and the secret code below.',
  'applications.tracking_number': 'Application number',
  'applications.tracking_secret': 'Secret code',
  'applications.secret_explain':
    'Keep this secret code and do not share it. With the application number and this code you can check the status at /track without signing in.',
  'applications.service': 'Service',
  'applications.agency': 'Agency',
  'applications.submitted': 'Sent',
  'applications.due': 'Due',
  'applications.due_at_latest': 'At the latest {date}',
  'applications.qr_label': 'QR code to the application tracking page',
  'applications.qr_caption': 'Scan the QR code to open the tracking page with this application number.',
  'applications.download_pdf': 'Download receipt (PDF)',
  'applications.receipt_pdf_title': 'Application receipt',
  'applications.receipt_pdf_footer':
    'Gapura — this receipt was generated automatically. The application number and secret code are needed to track the application.',

  'applications.next_title': 'What happens next',
  'applications.next_waiting': 'Waiting for staff: {who}.',
  'applications.next_waiting_agency': "Waiting for the agency's staff.",
  'applications.next_possible': 'Possible next steps:',
  'applications.next_yours': 'The application was returned to you for corrections.',
  'applications.next_done': 'This application has been fully processed.',
  'applications.draft_lead': 'This application has not been sent. Your answers are saved.',
  'audit_event.application.submitted': 'Application filed',
  'audit_event.application.action': 'An officer acted on the application',
  'audit_event.application.revised': 'Corrections saved',
  'audit_event.application.identity_verified': 'Identity verified at the counter',
  'audit_event.application.assigned': 'Application assigned to an officer',
  'audit_event.application.unassigned': 'Application returned to the queue',
  'audit_event.application.linked': 'Application linked to an account',
  'audit_event.application.data_viewed': 'An officer opened personal data',
  'audit_event.document.issued': 'Result document issued',
  'audit_event.document.revoked': 'Result document revoked',
  'audit_event.privacy.restricted': 'Processing of the data restricted',
  'audit_event.privacy.erased': 'Personal data erased',
  'audit_event.privacy.correction_requested': 'Correction of data requested',
  'audit_event.privacy.request_handled': 'Privacy request handled',
  'applications.audit_title': 'Record in the public audit log',
  'applications.audit_count': '({verified} of {total} verified)',
  'applications.audit_lead':
    'Every change to this application is recorded in a public audit log that cannot be rewritten silently, without your personal data. The verified mark means its inclusion proof matches the latest signed tree head.',
  'applications.audit_leaf': 'leaf #{index}',
  'applications.audit_verified': '✓ verified (tree {size})',
  'applications.audit_not_yet': 'waiting for the next tree head',
  'applications.audit_pending': 'waiting to be recorded',
  'applications.audit_how':
    'Anyone can check this log through /api/v1/audit/sth and its inclusion proofs, or with the command gapura audit verify --remote.',
  'applications.history_title': 'History',
  'applications.history_created': 'Draft created',
  'applications.history_submitted': 'Application sent → {state}',
  'applications.answers_title': 'Answers',

  'applications.track_title': 'Track an application',
  'applications.track_lead':
    'Enter the application number and the secret code from your receipt. No account needed.',
  'applications.track_number_hint': 'For example: DKP-26-7KQ4-M9X3',
  'applications.track_secret_hint': '8 letters and digits, printed on the receipt.',
  'applications.track_submit': 'Track',
  'applications.track_result': 'Application status',
  'applications.track_missing': 'Enter the application number and the secret code.',
  'applications.outcome.approved': 'Done — approved',
  'applications.outcome.rejected': 'Done — rejected',
  'applications.outcome.withdrawn': 'Withdrawn',

  'applications.history_revised': 'You saved your fixes',
  'applications.history_identity': 'Staff checked your identity',
  'applications.done_resubmitted': 'The application was resubmitted. The agency will check it again.',
  'applications.done_withdrawn': 'The application was withdrawn.',

  'applications.revision_title': 'What needs fixing',
  'applications.revision_lead': 'The agency returned this application on {date} and asks you to fix:',
  'applications.revision_comment': "The officer's note",
  'applications.revision_fix': 'Fix',
  'applications.revision_page_title': 'Fix your application',
  'applications.revision_section': 'Fields to fix',
  'applications.revision_only':
    'Only the fields the officer asked about can be changed. Everything else stays as you sent it.',
  'applications.revision_save': 'Save the fixes',
  'applications.revision_saved': 'Your fixes are saved. Check them once more, then resubmit the application.',
  'applications.revision_other':
    'Another answer no longer fits this fix and you cannot change it yourself. Contact the agency: {message}',
  'applications.resubmit': 'Resubmit the application',
  'applications.resubmit_title': 'Resubmit',
  'applications.resubmit_lead':
    'Once your fixes are saved, resubmit the application so the agency checks it again. The service clock runs again from the moment you resubmit.',
  'applications.resubmit_first': 'Save your fixes first, then resubmit the application on the fix page.',
  'applications.note_optional': 'Note for the officer (optional)',
  'applications.note_required': 'Note for the officer',

  'applications.withdraw': 'Withdraw the application',
  'applications.withdraw_offer': 'No longer need this service? You can withdraw the application.',
  'applications.withdraw_title': 'Withdraw this application?',
  'applications.withdraw_lead':
    'Application {number} for {service} will stop and not be processed any further. This cannot be undone: to use this service again you need to apply again.',
  'applications.withdraw_reason_optional': 'Why are you withdrawing? (optional)',
  'applications.withdraw_reason_required': 'Why are you withdrawing?',
  'applications.withdraw_confirm': 'Yes, withdraw the application',
  'applications.withdraw_keep': 'No, back to the application',

  'applications.documents_title': 'Your document',
  'applications.document_number': 'Document number',
  'applications.document_issued': 'Issued on',
  'applications.document_download': 'Download the document (PDF)',
  'applications.document_verify': 'Authenticity check page',
  'applications.document_verify_hint':
    'Anyone who receives this document can check that it is authentic by scanning its QR code or opening the verification page.',
  'applications.document_revoked': 'The agency revoked this document on {date}.',
  'applications.rejection_title': 'Reason for the rejection',
  'applications.rejection_none': 'The agency gave no reason. Contact the agency for an explanation.',
  'applications.version_moved_title': "This service's form has been updated",
  'applications.version_moved':
    'Since this application was started, the agency published a new form (version {version}). The answers so far were moved to the new form. Check them before you send.',
  'applications.version_moved_problems':
    'Some answers do not fit the new form. Correct the marked answers before you send.',
  'applications.version_withdrawn_title': 'This service is no longer available',
  'applications.version_withdrawn':
    'The agency has stopped offering this service, so this application cannot be sent. The answers so far are kept and can be read here. Contact the agency about other ways to get it done.',

  'applications.counter_title': 'Counter: assisted applications',
  'applications.counter_lead':
    'Choose the service the citizen asks for. Fill in the form together with the citizen, check the original KTP-el, then print the receipt with the secret code for the citizen.',
  'applications.counter_search_label': 'Search services',
  'applications.counter_search_button': 'Search',
  'applications.counter_services': 'Services of {agency}',
  'applications.counter_none': 'No service matches.',
  'applications.counter_start': 'Start for a citizen',
  'applications.counter_drafts': 'In progress ({count})',
  'applications.counter_drafts_lead': 'Applications you started at the counter and have not sent yet.',
  'applications.counter_continue': 'Continue',
  'applications.counter_filled_by': 'Filled in by the counter officer for the citizen',
  'applications.counter_review_title': 'Check the application with the citizen',
  'applications.counter_review_lead':
    'Read out or show every answer to the citizen. Choose "Change" to correct something.',
  'applications.counter_consent_lead':
    'Read the statement above to the citizen, or have the citizen read and sign it.',
  'applications.counter_consent_label':
    'The citizen agreed to the statement above (read aloud or signed) and declares these answers true.',
  'applications.counter_identity_label': 'The original KTP-el was checked',
  'applications.counter_identity_hint':
    "Tick only if you saw the citizen's original KTP-el yourself. It is recorded under your name.",
  'applications.counter_identity_required':
    'This service requires staff to check the original KTP-el before the application can be approved.',
  'applications.counter_receipt_title': 'Application receipt',
  'applications.counter_receipt_lead': 'Print this receipt and hand it to the citizen.',
  'applications.counter_print': 'Print',
  'applications.counter_print_hint': "To print, use the browser's print menu (Ctrl+P).",
  'applications.counter_assisted': 'Filed at the counter with the help of an officer.',
  'applications.counter_identity_done': 'The original KTP-el was checked by the officer.',
  'applications.counter_identity_failed':
    'The application was sent, but "KTP-el checked" was not saved. Mark it from the inbox.',
  'applications.counter_secret_keep':
    'Keep this secret code and do not share it. Anyone holding the number and this code can see the status of the application.',
  'applications.counter_status_title': 'How to check the status',
  'applications.counter_status':
    'Open {url} and enter the application number and the secret code, or scan the QR code.',
  'applications.counter_link_title': 'Linking it to a Gapura account',
  'applications.counter_link':
    'Have an account? Sign in, open {url} and enter the application number and the secret code. The application then shows in "My applications" and you get notifications.',
  'applications.counter_next': 'Serve the next citizen',

  'applications.link_title': 'Link an application to your account',
  'applications.link_lead':
    'An application filed at a counter shows in "My applications" once linked. Enter the application number and the secret code from the receipt.',
  'applications.link_submit': 'Link',
};
