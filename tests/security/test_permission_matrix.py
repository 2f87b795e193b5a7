"""The permission matrix (issue 12, item 8): every page of the URL configuration and every operation
of the OpenAPI document, tried as anonymous, as each role of organisation A (which owns the
records), as a member of partner organisation B and of organisation C that takes no part --
asserting exactly the status each gets. A new route or operation without an entry fails the suite.

Statuses: 200 shown, 201/204 done, 302 redirect (anonymous: to the login page; the admin: to its own
login), 400 a request the actor may make but that is incomplete (an empty form or body), 401 no API
key, 403 not allowed, 404 not found *for this actor* (another organisation's records do not exist
for it), 405 method not allowed. Set WIJKINZICHT_MATRIX_PRINT=1 to print the actual matrix."""

import json
import os

import pytest
from django.test import Client
from rest_framework.test import APIClient

from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.accounts.testing import verified_login

from .matrix import ACTORS, admin_urls, api_operations, api_url, page_routes, page_url, try_each, world

A = ("fieldworker", "coordinator", "analyst", "researcher", "administrator")
# expected statuses in ACTORS order: anon, fieldworker, coordinator, analyst, researcher, administrator,
# partner (B), other (C)
PAGES = {
    'accounts:account': (302, 200, 200, 200, 200, 200, 200, 200),
    # OIDC is off unless configured
    'accounts:oidc_callback': (404, 404, 404, 404, 404, 404, 404, 404),
    # OIDC is off unless configured
    'accounts:oidc_start': (404, 404, 404, 404, 404, 404, 404, 404),
    'accounts:password_change': (302, 200, 200, 200, 200, 200, 200, 200),
    'accounts:password_reset': (200, 200, 200, 200, 200, 200, 200, 200),
    'accounts:password_reset_complete': (200, 200, 200, 200, 200, 200, 200, 200),
    'accounts:password_reset_confirm': (200, 200, 200, 200, 200, 200, 200, 200),
    'accounts:password_reset_done': (200, 200, 200, 200, 200, 200, 200, 200),
    'accounts:recovery_codes': (302, 405, 405, 405, 405, 405, 405, 405),
    'accounts:setup': (302, 200, 200, 200, 200, 200, 200, 200),
    # POST revokes only the actor's own key; another's id changes nothing
    'accounts:token_revoke': (302, 405, 405, 405, 405, 405, 405, 405),
    'accounts:verify': (302, 200, 200, 200, 200, 200, 200, 200),
    'activities:create': (302, 200, 200, 403, 403, 200, 200, 200),
    'activities:detail': (302, 200, 200, 200, 200, 200, 404, 404),
    'activities:edit': (302, 200, 200, 403, 403, 200, 404, 404),
    'activities:import': (302, 200, 200, 403, 403, 200, 200, 200),
    'activities:import_detail': (302, 200, 200, 200, 200, 200, 404, 404),
    # rejected rows: the importer and coordinators/administrators only
    'activities:import_rejected': (302, 200, 200, 404, 404, 200, 404, 404),
    'activities:list': (302, 200, 200, 200, 200, 200, 200, 200),
    'activities:meeting_create': (302, 200, 200, 403, 403, 200, 404, 404),
    'activities:meeting_edit': (302, 200, 200, 403, 403, 200, 404, 404),
    'activities:participants': (302, 200, 200, 200, 200, 200, 200, 200),
    'activities:reach': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:comparable': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:factsheet': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:index': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:profile': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:search': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:table': (302, 200, 200, 200, 200, 200, 200, 200),
    # the composition page: the evaluating roles, each for their own organisation's file
    'evaluation:composition': (302, 403, 200, 200, 200, 200, 200, 200),
    'evaluation:create': (302, 403, 200, 200, 200, 200, 200, 200),
    'evaluation:detail': (302, 200, 200, 200, 200, 200, 404, 404),
    'evaluation:list': (302, 200, 200, 200, 200, 200, 200, 200),
    'evaluation:run': (302, 405, 405, 405, 405, 405, 405, 405),
    'evaluation:run_detail': (302, 200, 200, 200, 200, 200, 404, 404),
    'evaluation:run_json': (302, 200, 200, 200, 200, 200, 404, 404),
    # 409: the run is not computed yet
    'evaluation:run_pdf': (302, 409, 409, 409, 409, 409, 404, 404),
    'evaluation:status': (302, 200, 200, 200, 200, 200, 404, 404),
    'home': (302, 200, 200, 200, 200, 200, 200, 200),
    'kaart:csv': (200, 200, 200, 200, 200, 200, 200, 200),
    # the public sociale kaart
    'kaart:detail': (200, 200, 200, 200, 200, 200, 200, 200),
    'kaart:json': (200, 200, 200, 200, 200, 200, 200, 200),
    'kaart:search': (200, 200, 200, 200, 200, 200, 200, 200),
    'login': (200, 302, 302, 302, 302, 302, 302, 302),
    'logout': (302, 405, 405, 405, 405, 405, 405, 405),
    # the network of an area: the partners in it (A serves the gemeente, B a buurt); C serves none
    'network:area': (302, 200, 200, 200, 200, 200, 200, 403),
    'network:area_graphml': (302, 200, 200, 200, 200, 200, 200, 403),
    'network:area_parties_csv': (302, 200, 200, 200, 200, 200, 200, 403),
    'network:area_ties_csv': (302, 200, 200, 200, 200, 200, 200, 403),
    'network:index': (302, 200, 200, 200, 200, 200, 200, 200),
    'network:programme': (302, 200, 200, 200, 200, 200, 200, 404),
    'network:programme_graphml': (302, 200, 200, 200, 200, 200, 200, 404),
    'network:programme_parties_csv': (302, 200, 200, 200, 200, 200, 200, 404),
    'network:programme_ties_csv': (302, 200, 200, 200, 200, 200, 200, 404),
    'network:party': (302, 200, 200, 200, 200, 200, 200, 200),
    'network:party_add': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:party_merge': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:tie_answer': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:tie_declare': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:tie_end': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:ties': (302, 200, 200, 200, 200, 200, 200, 200),
    'outcomes:analysis': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:create': (302, 403, 200, 200, 403, 200, 200, 200),
    'outcomes:detail': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:edit': (302, 403, 200, 200, 403, 200, 403, 404),
    'outcomes:element_add': (302, 405, 405, 405, 405, 405, 405, 405),
    'outcomes:element_delete': (302, 405, 405, 405, 405, 405, 405, 405),
    'outcomes:element_edit': (302, 405, 405, 405, 405, 405, 405, 405),
    'outcomes:element_move': (302, 405, 405, 405, 405, 405, 405, 405),
    'outcomes:indicator': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:indicator_create': (302, 403, 200, 200, 403, 200, 403, 404),
    'outcomes:indicator_edit': (302, 403, 200, 200, 403, 200, 403, 404),
    'outcomes:link_add': (302, 405, 405, 405, 405, 405, 405, 405),
    'outcomes:link_delete': (302, 405, 405, 405, 405, 405, 405, 405),
    'outcomes:link_edit': (302, 405, 405, 405, 405, 405, 405, 405),
    'outcomes:list': (302, 200, 200, 200, 200, 200, 200, 200),
    'outcomes:measurement_create': (302, 200, 200, 403, 403, 200, 200, 200),
    'outcomes:measurement_delete': (302, 200, 200, 403, 403, 200, 404, 404),
    'outcomes:measurement_edit': (302, 200, 200, 403, 403, 200, 404, 404),
    'outcomes:measurement_import': (302, 200, 200, 403, 403, 200, 200, 200),
    # its problems name pseudonyms: the uploader and coordinators only
    'outcomes:measurement_import_status': (302, 200, 200, 404, 404, 200, 404, 404),
    'outcomes:measurements': (302, 200, 200, 200, 200, 200, 200, 200),
    'outcomes:model_edit': (302, 403, 200, 200, 403, 200, 403, 404),
    'outcomes:model_export': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:outcome': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:report': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:report_pdf': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:version': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:versions': (302, 200, 200, 200, 200, 200, 200, 404),
    # colleagues' names and e-mail: coordinators and administrators
    'parties:members_csv': (302, 404, 200, 404, 404, 200, 404, 404),
    'parties:mine': (302, 200, 200, 200, 200, 200, 200, 200),
    # signals: A's own signal (detail, review); the report and bundles for the organisations serving
    # the area (A the gemeente, B the buurt), not C; the classifier is trained and rolled back by staff
    'signals:bundle': (302, 200, 200, 200, 200, 200, 200, 404),
    'signals:classifier': (302, 200, 200, 200, 200, 200, 200, 200),
    'signals:classifier_activate': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:classifier_train': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:detail': (302, 200, 200, 200, 200, 200, 404, 404),
    'signals:import': (302, 200, 200, 200, 200, 200, 200, 200),
    'signals:list': (302, 200, 200, 200, 200, 200, 200, 200),
    'signals:new': (302, 200, 200, 200, 200, 200, 200, 200),
    'signals:report': (302, 200, 200, 200, 200, 200, 200, 403),
    'signals:report_csv': (302, 200, 200, 200, 200, 200, 200, 403),
    'signals:report_index': (302, 200, 200, 200, 200, 200, 200, 200),
    'signals:report_pdf': (302, 200, 200, 200, 200, 200, 200, 403),
    'signals:review': (302, 405, 405, 405, 405, 405, 405, 405),
    'privacy:register': (302, 200, 200, 200, 200, 200, 200, 200),
    'set_language': (302, 302, 302, 302, 302, 302, 302, 302),
}
POSTS = {
    'accounts:account': (302, 200, 200, 200, 200, 200, 200, 200),
    # OIDC is off unless configured
    'accounts:oidc_callback': (404, 404, 404, 404, 404, 404, 404, 404),
    # OIDC is off unless configured
    'accounts:oidc_start': (404, 404, 404, 404, 404, 404, 404, 404),
    'accounts:password_change': (302, 200, 200, 200, 200, 200, 200, 200),
    'accounts:password_reset': (200, 200, 200, 200, 200, 200, 200, 200),
    'accounts:password_reset_complete': (405, 405, 405, 405, 405, 405, 405, 405),
    'accounts:password_reset_confirm': (200, 200, 200, 200, 200, 200, 200, 200),
    'accounts:password_reset_done': (405, 405, 405, 405, 405, 405, 405, 405),
    'accounts:recovery_codes': (302, 200, 200, 200, 200, 200, 200, 200),
    'accounts:setup': (302, 200, 200, 200, 200, 200, 200, 200),
    # POST revokes only the actor's own key; another's id changes nothing
    'accounts:token_revoke': (302, 302, 302, 302, 302, 302, 302, 302),
    'accounts:verify': (302, 200, 200, 200, 200, 200, 200, 200),
    'activities:create': (302, 200, 200, 403, 403, 200, 200, 200),
    'activities:detail': (302, 200, 200, 200, 200, 200, 404, 404),
    'activities:edit': (302, 200, 200, 403, 403, 200, 404, 404),
    'activities:import': (302, 200, 200, 403, 403, 200, 200, 200),
    'activities:import_detail': (302, 200, 200, 200, 200, 200, 404, 404),
    # rejected rows: the importer and coordinators/administrators only
    'activities:import_rejected': (302, 200, 200, 404, 404, 200, 404, 404),
    'activities:list': (302, 200, 200, 200, 200, 200, 200, 200),
    'activities:meeting_create': (302, 200, 200, 403, 403, 200, 404, 404),
    'activities:meeting_edit': (302, 200, 200, 403, 403, 200, 404, 404),
    'activities:participants': (302, 200, 200, 403, 403, 200, 200, 200),
    'activities:reach': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:comparable': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:factsheet': (302, 405, 405, 405, 405, 405, 405, 405),
    'areas:index': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:profile': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:search': (302, 200, 200, 200, 200, 200, 200, 200),
    'areas:table': (302, 405, 405, 405, 405, 405, 405, 405),
    # the composition page: the evaluating roles, each for their own organisation's file
    'evaluation:composition': (302, 403, 200, 200, 200, 200, 200, 200),
    'evaluation:create': (302, 403, 200, 200, 200, 200, 200, 200),
    'evaluation:detail': (302, 200, 200, 200, 200, 200, 404, 404),
    'evaluation:list': (302, 200, 200, 200, 200, 200, 200, 200),
    'evaluation:run': (302, 403, 302, 302, 302, 302, 404, 404),
    'evaluation:run_detail': (302, 200, 200, 200, 200, 200, 404, 404),
    'evaluation:run_json': (302, 200, 200, 200, 200, 200, 404, 404),
    # 409: the run is not computed yet
    'evaluation:run_pdf': (302, 409, 409, 409, 409, 409, 404, 404),
    'evaluation:status': (302, 200, 200, 200, 200, 200, 404, 404),
    'home': (302, 200, 200, 200, 200, 200, 200, 200),
    'kaart:csv': (200, 200, 200, 200, 200, 200, 200, 200),
    # the public sociale kaart
    'kaart:detail': (200, 200, 200, 200, 200, 200, 200, 200),
    'kaart:json': (200, 200, 200, 200, 200, 200, 200, 200),
    'kaart:search': (200, 200, 200, 200, 200, 200, 200, 200),
    'login': (200, 302, 302, 302, 302, 302, 302, 302),
    'logout': (302, 302, 302, 302, 302, 302, 302, 302),
    'network:area': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:area_graphml': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:area_parties_csv': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:area_ties_csv': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:index': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:programme': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:programme_graphml': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:programme_parties_csv': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:programme_ties_csv': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:party': (302, 405, 405, 405, 405, 405, 405, 405),
    'network:party_add': (302, 200, 200, 403, 403, 200, 200, 200),
    # merging an informal party: coordinators and administrators of the organisation that added it
    'network:party_merge': (302, 403, 400, 403, 403, 400, 403, 403),
    # the tie A declared with B: B answers it, A does not, C does not know it
    'network:tie_answer': (302, 403, 403, 403, 403, 403, 302, 404),
    'network:tie_declare': (302, 200, 200, 403, 403, 200, 200, 200),
    'network:tie_end': (302, 302, 302, 403, 403, 302, 302, 404),
    'network:ties': (302, 405, 405, 405, 405, 405, 405, 405),
    'outcomes:analysis': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:create': (302, 403, 200, 200, 403, 200, 200, 200),
    'outcomes:detail': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:edit': (302, 403, 200, 200, 403, 200, 403, 404),
    'outcomes:element_add': (302, 403, 302, 302, 403, 302, 403, 404),
    'outcomes:element_delete': (302, 403, 302, 302, 403, 302, 403, 404),
    'outcomes:element_edit': (302, 403, 302, 302, 403, 302, 403, 404),
    'outcomes:element_move': (302, 403, 302, 302, 403, 302, 403, 404),
    'outcomes:indicator': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:indicator_create': (302, 403, 200, 200, 403, 200, 403, 404),
    'outcomes:indicator_edit': (302, 403, 200, 200, 403, 200, 403, 404),
    'outcomes:link_add': (302, 403, 302, 302, 403, 302, 403, 404),
    'outcomes:link_delete': (302, 403, 302, 302, 403, 302, 403, 404),
    'outcomes:link_edit': (302, 403, 302, 302, 403, 302, 403, 404),
    'outcomes:list': (302, 200, 200, 200, 200, 200, 200, 200),
    'outcomes:measurement_create': (302, 200, 200, 403, 403, 200, 200, 200),
    'outcomes:measurement_delete': (302, 302, 302, 403, 403, 302, 404, 404),
    'outcomes:measurement_edit': (302, 200, 200, 403, 403, 200, 404, 404),
    'outcomes:measurement_import': (302, 200, 200, 403, 403, 200, 200, 200),
    # its problems name pseudonyms: the uploader and coordinators only
    'outcomes:measurement_import_status': (302, 200, 200, 404, 404, 200, 404, 404),
    'outcomes:measurements': (302, 200, 200, 200, 200, 200, 200, 200),
    'outcomes:model_edit': (302, 403, 200, 200, 403, 200, 403, 404),
    'outcomes:model_export': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:outcome': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:report': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:report_pdf': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:version': (302, 200, 200, 200, 200, 200, 200, 404),
    'outcomes:versions': (302, 200, 200, 200, 200, 200, 200, 404),
    # colleagues' names and e-mail: coordinators and administrators
    'parties:members_csv': (302, 404, 200, 404, 404, 200, 404, 404),
    'parties:mine': (302, 200, 200, 200, 200, 200, 200, 200),
    # only a municipality serving the wijk answers a bundle (none of A, B, C is one); only staff train
    # or roll back; only a coordinator or administrator of A reviews A's signal for quoting
    'signals:bundle': (302, 403, 403, 403, 403, 403, 403, 404),
    'signals:classifier': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:classifier_activate': (302, 403, 403, 403, 403, 403, 403, 403),
    'signals:classifier_train': (302, 403, 403, 403, 403, 403, 403, 403),
    'signals:detail': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:import': (302, 200, 200, 200, 200, 200, 200, 200),
    'signals:list': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:new': (302, 200, 200, 200, 200, 200, 200, 200),
    'signals:report': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:report_csv': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:report_index': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:report_pdf': (302, 405, 405, 405, 405, 405, 405, 405),
    'signals:review': (302, 403, 302, 403, 403, 302, 404, 404),
    'privacy:register': (302, 200, 200, 200, 200, 200, 200, 200),
    'set_language': (302, 302, 302, 302, 302, 302, 302, 302),
}
API = {
    'DELETE /api/v1/meetings/{id}': (401, 204, 204, 403, 403, 204, 404, 404),
    'GET /api/v1': (200, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/activities': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/activities/{id}': (401, 200, 200, 200, 200, 200, 404, 404),
    'GET /api/v1/areas': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/areas/{code}': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/areas/{code}/comparable': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/areas/{code}/observations': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/imports/{id}': (401, 200, 200, 200, 200, 200, 404, 404),
    'GET /api/v1/imports/{id}/rejected': (401, 200, 200, 404, 404, 200, 404, 404),
    'GET /api/v1/indicators': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/meetings': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/meetings/{id}': (401, 200, 200, 200, 200, 200, 404, 404),
    'GET /api/v1/network': (401, 400, 400, 400, 400, 400, 400, 400),
    'GET /api/v1/organisations': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/organisations/{organisation_id}/members': (401, 404, 200, 404, 404, 200, 404, 404),
    'GET /api/v1/participants': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/participants/{id}': (401, 200, 200, 200, 200, 200, 404, 404),
    'GET /api/v1/parties': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/parties/{id}': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/reach': (401, 400, 400, 400, 400, 400, 400, 400),
    'GET /api/v1/sociale-kaart': (200, 200, 200, 200, 200, 200, 200, 200),
    # signals: A's own (404 for B and C); the bundle's answers for those serving its wijk; answering is
    # for a municipality serving it (403 for A, B; 404 for C)
    'GET /api/v1/signal-bundles/{id}/responses': (401, 200, 200, 200, 200, 200, 200, 404),
    'GET /api/v1/signal-report': (401, 400, 400, 400, 400, 400, 400, 400),
    'GET /api/v1/signal-themes': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/signals': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/signals/{id}': (401, 200, 200, 200, 200, 200, 404, 404),
    'POST /api/v1/signal-bundles/{id}/responses': (401, 403, 403, 403, 403, 403, 403, 404),
    'POST /api/v1/signals': (401, 400, 400, 400, 400, 400, 400, 400),
    'POST /api/v1/signals/check': (401, 400, 400, 400, 400, 400, 400, 400),
    'POST /api/v1/signals/import': (401, 400, 400, 400, 400, 400, 400, 400),
    'GET /api/v1/ties': (401, 200, 200, 200, 200, 200, 200, 200),
    'GET /api/v1/ties/{id}': (401, 200, 200, 200, 200, 200, 200, 404),
    'PATCH /api/v1/activities/{id}': (401, 200, 200, 403, 403, 200, 404, 404),
    'PATCH /api/v1/participants/{id}': (401, 200, 200, 403, 403, 200, 404, 404),
    'POST /api/v1/activities': (401, 400, 400, 400, 400, 400, 400, 400),
    'POST /api/v1/imports': (401, 400, 400, 400, 400, 400, 400, 400),
    'POST /api/v1/meetings': (401, 400, 400, 400, 400, 400, 400, 400),
    'POST /api/v1/participants': (401, 400, 400, 400, 400, 400, 400, 400),
    'POST /api/v1/parties': (401, 400, 400, 400, 400, 400, 400, 400),
    # merging an informal party (A added it): A's coordinators and administrators; an empty body is 400
    'POST /api/v1/parties/{id}/merge': (401, 403, 400, 403, 403, 400, 403, 403),
    'POST /api/v1/ties': (401, 400, 400, 400, 400, 400, 400, 400),
    'POST /api/v1/ties/{id}/answer': (401, 400, 400, 400, 400, 400, 400, 404),
    'POST /api/v1/ties/{id}/end': (401, 400, 400, 400, 400, 400, 400, 404),
    'POST /api/v1/token': (400, 400, 400, 400, 400, 400, 400, 400),
    'PUT /api/v1/meetings/{id}': (401, 200, 200, 403, 403, 200, 404, 404),
    'PUT /api/v1/participants/{id}': (401, 400, 400, 403, 403, 400, 404, 404),
}


@pytest.fixture
def actors(amsterdam, two_organisations):
    from wijkinzicht.parties.constants import OrganisationKind
    from wijkinzicht.parties.services import membership_grant, organisation_create, user_create

    c = organisation_create(name="Organisatie C", kind=OrganisationKind.CORPORATIE)
    other = user_create(username="c-coordinator", password="geheim-wachtwoord-1")
    membership_grant(user=other, organisation=c, role="coordinator")
    users = {role: two_organisations["A"][role] for role in A}
    users["partner"] = two_organisations["B"]["coordinator"]
    users["other"] = other
    pages, apis = {"anon": Client()}, {"anon": APIClient()}
    for actor, user in users.items():
        pages[actor] = Client()
        verified_login(pages[actor], user)
        apis[actor] = APIClient()
        apis[actor].credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return pages, apis, world(two_organisations)


def _row(found: dict) -> tuple:
    return tuple(found[a] for a in ACTORS)


def test_every_route_and_operation_has_an_entry():
    missing_pages = sorted(set(page_routes()) - set(PAGES))
    missing_api = sorted({f"{m} {p}" for m, p in api_operations()} - set(API))
    assert not missing_pages and not missing_api, (missing_pages, missing_api)
    assert not set(PAGES) - set(page_routes()) and not set(API) - {f"{m} {p}" for m, p in api_operations()}


def test_pages(actors):
    pages, _apis, w = actors
    actual, posts = {}, {}
    for name, route in sorted(page_routes().items()):
        url = page_url(name, route, w)
        actual[name] = _row(try_each(pages, lambda c, url=url: c.get(url)))
        posts[name] = _row(try_each(pages, lambda c, url=url: c.post(url, {})))
    if os.environ.get("WIJKINZICHT_MATRIX_PRINT"):
        print(json.dumps({"pages": actual, "posts": posts}, indent=None))
    assert actual == PAGES
    assert posts == POSTS


def test_api(actors):
    _pages, apis, w = actors
    actual = {}
    for method, path in api_operations():
        url = api_url(path, w)

        def call(c, method=method, url=url):
            if url == "/api/v1/imports" and method == "POST":
                return c.post(url, {}, format="multipart")
            return getattr(c, method.lower())(url, {} if method in ("POST", "PUT", "PATCH") else None,
                                              format="json")
        actual[f"{method} {path}"] = _row(try_each(apis, call))
    if os.environ.get("WIJKINZICHT_MATRIX_PRINT"):
        print(json.dumps({"api": actual}, indent=None))
    assert actual == API


def test_the_admin_is_for_staff_only(actors):
    """No role of any organisation is staff: every admin page sends them to the admin's login."""
    pages, _apis, _w = actors
    for name, url in admin_urls().items():
        # the login form for everyone who is not staff; logout only by POST; every other page redirects
        expected = {"admin:login": {200}, "admin:logout": {302, 405}}.get(name.split()[0], {302})
        for actor, status in try_each(pages, lambda c, url=url: c.get(url)).items():
            assert status in expected, (name, url, actor, status)
