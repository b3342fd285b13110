"""Attachments as a core service: uploads with size and type limits, metadata stripped, kept outside
the web root, served only through a scoped view. Every app uses this package:

* an app registers the models whose records may carry attachments
  (``registry.attachment_owners.register(label, AttachmentOwner(...))`` in ``AppConfig.ready()``);
* its actions call ``attachments.actions.attach(actor=, owner=, upload=, …)`` — the one write,
  audited — after their own checks;
* its pages show ``{% load attachments %}{% attachment_panel object upload_url %}``;
* downloads go through ``core:attachment`` (``/attachments/<pk>/``): 404 unless the owner is in
  ``Owner.objects.visible_to(user)``, each download audited.

Modules: ``detect`` (kind by content), ``images`` (re-encoding; also used by grid photos),
``office`` (docx/xlsx/pptx), ``pdf``, ``sanitize`` (limits and dispatch), ``storage`` (where files
live), ``actions`` (writes), ``responses`` (the download response), ``forms``.
"""
