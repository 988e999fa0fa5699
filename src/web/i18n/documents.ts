/**
 * Messages of the issued-document pages (verification), in Indonesian (`documentsId`) and English
 * (`documentsEn`). Spread into id.ts and en.ts; the type makes a key missing in English a compile error.
 */
export const documentsId = {
  'documents.verify_title': 'Periksa keaslian dokumen',
  'documents.verify_lead':
    'Pindai kode QR pada dokumen, atau unggah berkas PDF-nya, untuk memeriksa apakah dokumen itu asli dan masih berlaku.',
  'documents.valid_title': 'Dokumen asli dan berlaku',
  'documents.valid_text':
    'Dokumen ini diterbitkan dan ditandatangani secara elektronik oleh {agency}. Cocokkan isinya dengan dokumen yang Anda terima: isi yang sah tertulis di bawah ini.',
  'documents.revoked_title': 'Dokumen sudah dicabut',
  'documents.revoked_text':
    'Dokumen ini asli, tetapi telah dicabut oleh {agency} pada {date} dan tidak berlaku lagi.',
  'documents.revoked_reason': 'Alasan pencabutan',
  'documents.invalid_title': 'Dokumen tidak sah',
  'documents.invalid_text':
    'Keaslian dokumen ini tidak dapat dipastikan: tidak ada dokumen yang cocok, atau tanda tangan elektroniknya tidak sesuai. Jangan menerima dokumen ini sebagai bukti.',
  'documents.invalid_upload_text':
    'Berkas ini bukan dokumen yang diterbitkan melalui Gapura, atau telah diubah setelah diterbitkan. Jangan menerima berkas ini sebagai bukti.',
  'documents.invalid_help':
    'Jika Anda yakin dokumen ini asli, hubungi instansi yang tertulis di dalamnya melalui alamat atau nomor resminya.',
  'documents.details': 'Keterangan dokumen',
  'documents.number': 'Nomor dokumen',
  'documents.document_name': 'Jenis dokumen',
  'documents.agency': 'Instansi penerbit',
  'documents.service': 'Layanan',
  'documents.issued_at': 'Tanggal terbit',
  'documents.revoked_at': 'Tanggal pencabutan',
  'documents.printed_fields': 'Isi dokumen',
  'documents.printed_fields_lead': 'Hanya yang tercetak pada dokumen yang ditampilkan di sini.',
  'documents.empty_value': '(kosong)',
  'documents.key': 'Kunci tanda tangan',
  'documents.upload_heading': 'Periksa berkas PDF',
  'documents.upload_label': 'Berkas PDF dokumen',
  'documents.upload_hint':
    'Berkas PDF yang Anda terima dari instansi, paling besar 5 MB. Berkas hanya diperiksa, tidak disimpan.',
  'documents.upload_submit': 'Periksa berkas',
  'documents.upload_missing': 'Pilih berkas PDF dokumen yang ingin diperiksa',
  'documents.upload_not_pdf': 'Berkas yang dipilih bukan PDF. Pilih berkas PDF dokumen',
  'documents.upload_too_large':
    'Berkas yang dipilih lebih besar dari 5 MB. Pilih berkas PDF dokumen yang asli',
  'documents.upload_result': 'Hasil pemeriksaan berkas yang diunggah',
  'errors.document.already_revoked': 'Dokumen ini sudah dicabut.',
};

export const documentsEn: Record<keyof typeof documentsId, string> = {
  'documents.verify_title': 'Check a document',
  'documents.verify_lead':
    'Scan the QR code on the document, or upload its PDF file, to check that it is authentic and still valid.',
  'documents.valid_title': 'Authentic and valid',
  'documents.valid_text':
    'This document was issued and electronically signed by {agency}. Compare it with the document you were given: its valid content is shown below.',
  'documents.revoked_title': 'Document revoked',
  'documents.revoked_text':
    'This document is authentic, but {agency} revoked it on {date}; it is no longer valid.',
  'documents.revoked_reason': 'Reason for revocation',
  'documents.invalid_title': 'Not a valid document',
  'documents.invalid_text':
    'This document cannot be confirmed as authentic: no document matches, or its electronic signature does not. Do not accept it as proof.',
  'documents.invalid_upload_text':
    'This file is not a document issued through Gapura, or it was changed after it was issued. Do not accept it as proof.',
  'documents.invalid_help':
    'If you believe the document is authentic, contact the agency named on it through its official address or number.',
  'documents.details': 'About the document',
  'documents.number': 'Document number',
  'documents.document_name': 'Document',
  'documents.agency': 'Issued by',
  'documents.service': 'Service',
  'documents.issued_at': 'Date of issue',
  'documents.revoked_at': 'Date of revocation',
  'documents.printed_fields': 'Content of the document',
  'documents.printed_fields_lead': 'Only what is printed on the document is shown here.',
  'documents.empty_value': '(empty)',
  'documents.key': 'Signing key',
  'documents.upload_heading': 'Check a PDF file',
  'documents.upload_label': 'PDF file of the document',
  'documents.upload_hint':
    'The PDF file you received from the agency, at most 5 MB. The file is only checked, never stored.',
  'documents.upload_submit': 'Check the file',
  'documents.upload_missing': 'Choose the PDF file of the document to check',
  'documents.upload_not_pdf': 'The chosen file is not a PDF. Choose the PDF file of the document',
  'documents.upload_too_large':
    'The chosen file is larger than 5 MB. Choose the original PDF file of the document',
  'documents.upload_result': 'Result for the uploaded file',
  'errors.document.already_revoked': 'This document has already been revoked.',
};
