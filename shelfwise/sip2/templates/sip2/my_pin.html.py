BBBBBBB BBBBBBBBBBB
BBBB BBBB
BBBBB BBBBB gettext(u'My self-check PIN') BBBBBBBB
BBBBB BBBBBBBBBBXXXXXXXXXXXXBBBBBBBB
BBBBB BBBBBBB
XXXX gettext(u'My self-check PIN') XXXXX
BB BBB BBBBBBBB
XX XXXXXXXXXXXXX gettext(u'You do not have a library card yet, so there is no PIN to set. Please ask the librarian.') XXXX
BBBB
XX XXXXXXXXXXXXXBB BBBBBBBBB gettext(u'At the self-check kiosk, scan your card and then type your PIN.') BBBB gettext(u'At this school the self-check kiosk needs only your card, but you can set a PIN now for when it asks for one.') BBBBBXXXX
XXXBB BBBBBBB gettext(u'You have a PIN. Type a new one to change it.') BBBB gettext(u'You do not have a PIN yet.') BBBBB  gettext(u'Keep it secret: nobody at the library will ask you for it.') XXXX
XXXXX XXXXXXXXXXXXX XXXXXXXXXXXX XXXXXXXXXXX
  BBBBBBBBBB
  BBB BBBBB BB BBBBBBBBBBB BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB
  XXXX XXXXXXXXXXXXXXXXXXXXXXXXXX XXXXXXXXXXXXXX gettext(u'Save my PIN') XXXXXXXXXXXXXXX
XXXXXXX
BBBBB
XXXXX XXXXXXBBB BBBBBBBBBBBBBBBBBBBBBXX gettext(u'Back to My library') XXXXXXXX
BBBBBBBB
