"""playbooks and crisis rooms

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 05:11:04.502414
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An exported crisis room is a report that names its crisis.
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("crisis_id", sa.String(length=40), server_default="", nullable=False)
        )
    op.create_table('crisis_notifications',
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('crisis_id', sa.String(length=40), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.String(length=64), nullable=False),
    sa.Column('subsidiary_id', sa.String(length=64), nullable=False),
    sa.Column('member', sa.String(length=255), nullable=False),
    sa.Column('webhook_id', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('due_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('send_time', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('tenant', 'crisis_id', 'step', name=op.f('pk_crisis_notifications'))
    )
    with op.batch_alter_table('crisis_notifications', schema=None) as batch_op:
        batch_op.create_index('ix_crisis_notifications_due', ['state', 'due_time'], unique=False)

    op.create_table('crisis_rooms',
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('crisis_id', sa.String(length=40), nullable=False),
    sa.Column('brand_id', sa.String(length=64), nullable=False),
    sa.Column('subsidiary_id', sa.String(length=64), nullable=False),
    sa.Column('playbook', sa.JSON(), nullable=False),
    sa.Column('held_posts', sa.JSON(), nullable=False),
    sa.Column('open_time', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tenant', 'crisis_id', name=op.f('pk_crisis_rooms'))
    )
    op.create_table('crisis_statements',
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('crisis_id', sa.String(length=40), nullable=False),
    sa.Column('brand_id', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('social_accounts', sa.JSON(), nullable=False),
    sa.Column('approver', sa.String(length=255), nullable=False),
    sa.Column('posts', sa.JSON(), nullable=False),
    sa.Column('propose_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approve_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('publish_time', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('tenant', 'id', name=op.f('pk_crisis_statements'))
    )
    with op.batch_alter_table('crisis_statements', schema=None) as batch_op:
        batch_op.create_index('ix_crisis_statements_crisis', ['tenant', 'crisis_id', 'id'], unique=False)

    op.create_table('crisis_timeline',
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('crisis_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('subject', sa.String(length=512), nullable=False),
    sa.Column('actor', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('tenant', 'id', name=op.f('pk_crisis_timeline'))
    )
    with op.batch_alter_table('crisis_timeline', schema=None) as batch_op:
        batch_op.create_index('ix_crisis_timeline_crisis', ['tenant', 'crisis_id', 'id'], unique=False)

    op.create_table('playbooks',
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('scope_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('alert_steps', sa.JSON(), nullable=False),
    sa.Column('holding_statements', sa.JSON(), nullable=False),
    sa.Column('queue_hold', sa.String(length=24), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('update_time', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tenant', 'id', name=op.f('pk_playbooks'))
    )
    with op.batch_alter_table('playbooks', schema=None) as batch_op:
        batch_op.create_index('ix_playbooks_scope', ['tenant', 'scope', 'scope_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("crisis_id")
    with op.batch_alter_table('playbooks', schema=None) as batch_op:
        batch_op.drop_index('ix_playbooks_scope')

    op.drop_table('playbooks')
    with op.batch_alter_table('crisis_timeline', schema=None) as batch_op:
        batch_op.drop_index('ix_crisis_timeline_crisis')

    op.drop_table('crisis_timeline')
    with op.batch_alter_table('crisis_statements', schema=None) as batch_op:
        batch_op.drop_index('ix_crisis_statements_crisis')

    op.drop_table('crisis_statements')
    op.drop_table('crisis_rooms')
    with op.batch_alter_table('crisis_notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_crisis_notifications_due')

    op.drop_table('crisis_notifications')
