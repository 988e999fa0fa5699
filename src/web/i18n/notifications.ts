/**
 * Messages of the in-app notification list, in Indonesian (`notificationsId`) and English
 * (`notificationsEn`). Spread into id.ts and en.ts; the type makes a key missing in English a
 * compile error.
 */
export const notificationsId = {
  'notifications.nav': 'Notifikasi',
  'notifications.title': 'Notifikasi',
  'notifications.lead': 'Kabar tentang permohonan dan akun Anda, yang terbaru di atas.',
  'notifications.unread_count': '{count} belum dibaca.',
  'notifications.all_read': 'Semua notifikasi sudah dibaca.',
  'notifications.mark_read': 'Tandai semua sudah dibaca',
  'notifications.marked': 'Semua notifikasi ditandai sudah dibaca.',
  'notifications.empty': 'Belum ada notifikasi.',
  'notifications.unread': 'Belum dibaca',
  'notifications.open_application': 'Buka permohonan {number}',
  'notifications.limit': 'Ditampilkan {count} notifikasi terbaru.',
};

export const notificationsEn: Record<keyof typeof notificationsId, string> = {
  'notifications.nav': 'Notifications',
  'notifications.title': 'Notifications',
  'notifications.lead': 'News about your applications and your account, newest first.',
  'notifications.unread_count': '{count} unread.',
  'notifications.all_read': 'All notifications are read.',
  'notifications.mark_read': 'Mark all as read',
  'notifications.marked': 'All notifications are marked as read.',
  'notifications.empty': 'No notifications yet.',
  'notifications.unread': 'Unread',
  'notifications.open_application': 'Open application {number}',
  'notifications.limit': 'Showing the {count} newest notifications.',
};
