import type { adhocEn } from './en.ts';

export const adhocDe: Record<keyof typeof adhocEn, string> = {
  'nav.adhoc': 'Ad-hoc-Support',
  'adhoc.title': 'Ad-hoc-Support',
  'adhoc.intro':
    'Einen Tag lang wiederholter Zugriff auf einen nicht verwalteten Computer: Der Benutzer installiert ein temporäres Programm, aktiviert es mit dem Sicherheitscode, und nach 24 Stunden entfernt es sich selbst.',
  'adhoc.seats': '{used} von {seats} Plätzen belegt (höchstens {limit} aktive je Organisation)',
  'adhoc.new': 'Neue Ad-hoc-Sitzung',
  'adhoc.userName': 'Name des Benutzers',
  'adhoc.email': 'E-Mail',
  'adhoc.language': 'Sprache der E-Mail',
  'adhoc.comment': 'Kommentar',
  'adhoc.create': 'Anlegen und E-Mail senden',
  'adhoc.created.title': 'Wird nur dieses eine Mal angezeigt',
  'adhoc.created.body':
    'Bewahren Sie das vordefinierte Passwort auf: Sie geben es bei jeder Verbindung an, und es kann nicht erneut angezeigt werden. Sicherheitscode und Installationslink gingen per E-Mail an den Benutzer.',
  'adhoc.password': 'Vordefiniertes Passwort',
  'adhoc.code': 'Sicherheitscode',
  'adhoc.link': 'Installationslink',
  'adhoc.list': 'Ad-hoc-Sitzungen',
  'adhoc.col.user': 'Benutzer',
  'adhoc.col.status': 'Status',
  'adhoc.col.activated': 'Aktiviert',
  'adhoc.col.expires': 'Endet',
  'adhoc.col.actions': 'Aktionen',
  'adhoc.status.created': 'Wartet auf Aktivierung',
  'adhoc.status.activated': 'Aktiv',
  'adhoc.status.ended': 'Beendet',
  'adhoc.status.removed': 'Beendet und entfernt',
  'adhoc.end': 'Jetzt beenden',
  'adhoc.empty': 'Noch keine Ad-hoc-Sitzungen.',
  'adhoc.auth.title': 'Vordefiniertes Passwort',
  'adhoc.auth.label': 'Dieser Computer verlangt das vordefinierte Passwort der Ad-hoc-Sitzung',
  'adhoc.auth.submit': 'Senden',
  'adhoc.auth.refused': 'Der Computer hat das Passwort abgelehnt und die Verbindung beendet.',
  'templates.kind.adhoc_invite': 'Einladung zum Ad-hoc-Support (an den Benutzer)',
  'error.adhoc_no_seat':
    'Kein freier Ad-hoc-Platz: Ein Administrator kann Plätze hinzufügen, oder beenden Sie eine aktive Sitzung.',
  'error.adhoc_provider_limit':
    'Sie haben bereits eine aktive Ad-hoc-Sitzung (eine je Anbieter). Beenden Sie sie zuerst.',
  'error.adhoc_org_limit': 'Die Organisation hat ihre Höchstzahl aktiver Ad-hoc-Sitzungen erreicht.',
};
